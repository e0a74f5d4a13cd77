// Word lists for generated contacts. Emails use the reserved example.* domains (RFC 2606) and
// phones the fictional 555-01xx block, so no generated record belongs to a real person.

export const FIRST_NAMES = [
  'James', 'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'Mateo', 'Isabella',
  'Lucas', 'Mia', 'Ethan', 'Amelia', 'Aiden', 'Harper', 'Carlos', 'Evelyn', 'Daniel', 'Abigail',
  'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Arjun', 'Ananya', 'Mohammed', 'Fatima', 'Kwame', 'Amara',
  'Diego', 'Lucia', 'Sven', 'Ingrid', 'Patrick', 'Siobhan', 'Dmitri', 'Natalia', 'Tomás', 'Camila',
  'Grace', 'Henry', 'Chloe', 'Jack', 'Zoe', 'Owen', 'Nora', 'Samuel', 'Layla', 'Julian',
  'Aaliyah', 'Marcus', 'Keisha', 'Andre', 'Imani', 'Malik', 'Jasmine', 'Jamal', 'Rosa', 'Luis',
  'Hannah', 'Caleb', 'Leah', 'Isaac', 'Ruth', 'Eli', 'Naomi', 'Gabriel', 'Stella', 'Miles',
  "D'Angelo", 'Renée', 'José', 'Zoë', 'Bjørn', 'Siân', 'Chiamaka', 'Oluwaseun', 'Thanh', 'Linh',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Nguyen', 'Chen', 'Kim', 'Patel', 'Singh', 'Tanaka', 'Okafor', 'Mensah', 'Haddad', 'Khan',
  'Novak', 'Kowalski', 'Johansson', 'Larsen', "O'Brien", 'McAllister', 'Fitzgerald', 'Rossi', 'Bianchi', 'Silva',
  'Santos', 'Oliveira', 'Costa', 'Ivanova', 'Petrov', 'Schmidt', 'Müller', 'Dubois', 'Laurent', 'Van der Berg',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Hill', 'Flores', 'Green',
] as const;

export const PERSONAL_EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

export interface LocationProfile {
  timezone: string;
  /** For E.164 phones: +1 <area> 555 01xx. */
  areaCodes: readonly string[];
  places: readonly { city: string; state: string; postalCode: string }[];
  streets: readonly string[];
  tags: readonly string[];
  sources: readonly string[];
  companies: readonly string[];
  userNames: readonly string[];
  customFields: readonly { key: string; name: string; values: readonly string[] }[];
  calendars: readonly string[];
  appointmentTitles: readonly string[];
  taskTitles: readonly string[];
  taskBodies: readonly string[];
  noteBodies: readonly string[];
  noteTitles: readonly string[];
  websiteBase: string;
}

export const SUNRISE_PROFILE: LocationProfile = {
  timezone: 'America/Phoenix',
  areaCodes: ['480', '602', '623', '520'],
  places: [
    { city: 'Phoenix', state: 'AZ', postalCode: '85004' },
    { city: 'Scottsdale', state: 'AZ', postalCode: '85251' },
    { city: 'Tempe', state: 'AZ', postalCode: '85281' },
    { city: 'Mesa', state: 'AZ', postalCode: '85201' },
    { city: 'Chandler', state: 'AZ', postalCode: '85225' },
    { city: 'Gilbert', state: 'AZ', postalCode: '85233' },
    { city: 'Tucson', state: 'AZ', postalCode: '85701' },
  ],
  streets: ['E Camelback Rd', 'N Scottsdale Rd', 'W Indian School Rd', 'S Mill Ave', 'E Baseline Rd', 'N 7th St', 'E Shea Blvd', 'W Thomas Rd'],
  tags: ['buyer', 'seller', 'first-time buyer', 'pre-approved', 'investor', 'relocation', 'open house', 'hot lead', 'cold', 'newsletter', 'luxury', 'rental'],
  sources: ['Zillow', 'Realtor.com', 'website form', 'open house', 'referral', 'Facebook Lead Ad', 'public api', 'CSV Import'],
  companies: ['Cactus Creek Builders', 'Valley Sun Mortgage', 'Saguaro Tech', 'Mesa Verde Logistics', 'Copper State Insurance', 'Red Rock Dental', 'Grand Canyon Outfitters', 'Desert Willow Cafe'],
  userNames: ['Rachel Kim', 'Tom Becker', 'Ana Morales'],
  customFields: [
    { key: 'contact.budget', name: 'Budget', values: ['$250k-$350k', '$350k-$500k', '$500k-$750k', '$750k+'] },
    { key: 'contact.preferred_neighborhood', name: 'Preferred Neighborhood', values: ['Arcadia', 'Old Town Scottsdale', 'Tempe Town Lake', 'Ahwatukee', 'Downtown Phoenix'] },
    { key: 'contact.move_timeline', name: 'Move Timeline', values: ['0-3 months', '3-6 months', '6-12 months', 'just browsing'] },
  ],
  calendars: ['Property Showings', 'Listing Consultations'],
  appointmentTitles: ['Showing: 3-bed in Arcadia', 'Listing consultation', 'Buyer consultation', 'Open house follow-up', 'Final walkthrough'],
  taskTitles: ['Call back about listing', 'Send comps', 'Schedule showing', 'Follow up on pre-approval', 'Send closing gift', 'Request review'],
  taskBodies: ['Asked about HOA fees.', 'Prefers texts after 5pm.', 'Wants a pool and a 3-car garage.', 'Lender: Valley Sun Mortgage.', ''],
  noteBodies: [
    'Met at the open house on Saturday. Interested in 3-bed homes under $450k.',
    'Spouse works in Tempe; wants a short commute.',
    'Pre-approval letter received, valid for 90 days.',
    'Not ready to list until the kids finish school.',
    'Called twice, no answer. Left voicemail.',
  ],
  noteTitles: ['Open house', 'Financing', 'Call log', 'Preferences'],
  websiteBase: 'https://sunriserealty.example',
};

export const HARBOR_PROFILE: LocationProfile = {
  timezone: 'America/New_York',
  areaCodes: ['207', '603', '617'],
  places: [
    { city: 'Portland', state: 'ME', postalCode: '04101' },
    { city: 'South Portland', state: 'ME', postalCode: '04106' },
    { city: 'Falmouth', state: 'ME', postalCode: '04105' },
    { city: 'Cape Elizabeth', state: 'ME', postalCode: '04107' },
    { city: 'Westbrook', state: 'ME', postalCode: '04092' },
    { city: 'Scarborough', state: 'ME', postalCode: '04074' },
  ],
  streets: ['Commercial St', 'Congress St', 'Forest Ave', 'Ocean House Rd', 'Brighton Ave', 'Route 1', 'Exchange St'],
  tags: ['new patient', 'recall due', 'invisalign', 'whitening', 'insurance verified', 'emergency', 'hygiene', 'newsletter', 'family plan', 'no-show risk'],
  sources: ['website booking', 'Google Business Profile', 'referral', 'insurance directory', 'walk-in', 'public api', 'Facebook Lead Ad'],
  companies: ['Casco Bay Marine Supply', 'Old Port Roasters', 'Maine Medical Partners', 'Back Cove Yoga', 'Lighthouse Insurance Group', 'Pine State Credit Union', 'Eastern Prom Architects'],
  userNames: ['Dr. Elena Brooks', 'Sam Whitaker', 'Jo Nakamura'],
  customFields: [
    { key: 'contact.insurance_provider', name: 'Insurance Provider', values: ['Delta Dental', 'Cigna', 'MetLife', 'Aetna', 'self-pay'] },
    { key: 'contact.last_cleaning', name: 'Last Cleaning', values: ['2024-11-02', '2025-01-15', '2025-03-28', '2025-06-10'] },
    { key: 'contact.preferred_dentist', name: 'Preferred Dentist', values: ['Dr. Brooks', 'Dr. Haddad', 'no preference'] },
  ],
  calendars: ['Hygiene', 'Consultations'],
  appointmentTitles: ['Cleaning & exam', 'Invisalign consult', 'Emergency visit', 'Whitening session', 'New patient exam'],
  taskTitles: ['Verify insurance', 'Confirm appointment', 'Send recall reminder', 'Follow up on treatment plan', 'Request X-rays from previous dentist'],
  taskBodies: ['Patient prefers morning slots.', 'Check coverage for crowns.', 'Mention the family plan.', ''],
  noteBodies: [
    'Sensitive to cold on lower left molars.',
    'Anxious patient; offer nitrous next visit.',
    'Insurance card updated at front desk.',
    'Asked about whitening pricing.',
    'Referred by a current patient.',
  ],
  noteTitles: ['Clinical', 'Front desk', 'Billing'],
  websiteBase: 'https://harbordental.example',
};
