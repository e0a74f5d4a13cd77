// Records every seed contains with the same ids, so tests and docs can name them.
// They are hand-written (seed/featured.ts); everything else is generated from the seed.

export const sandboxFixtures = {
  sunrise: {
    locationId: 'sRlty7Q2mKx9PbN4vW1c',
    name: 'Sunrise Realty',
    /** Maria Alvarez: 3 tasks (pending, overdue, completed), 2 notes, 3 appointments, a business. */
    richContactId: 'mAlvrz4Kq8TnW2pX6bYd',
    richContactEmail: 'maria.alvarez@example.com',
    taskIds: {
      pending: 'tPndg1Aa2Bb3Cc4Dd5Ee',
      overdue: 'tOvrd6Ff7Gg8Hh9Ii0Jj',
      completed: 'tCmpl1Kk2Ll3Mm4Nn5Oo',
    },
    noteIds: ['nMar1aPp6Qq7Rr8Ss9Tt', 'nMar2aUu0Vv1Ww2Xx3Yy'],
    appointmentIds: ['aMar1aZz4Yy5Xx6Ww7Vv', 'aMar2aUu8Tt9Ss0Rr1Qq', 'aMar3aPp2Oo3Nn4Mm5Ll'],
    /** Derek Osei: no tasks, notes or appointments. */
    bareContactId: 'dOsei9Hq3Lm5Np7Rt2Vx',
    /**
     * Lenny Park: GHL's loose formats in one record: dateOfBirth "07/04/1976", followers as a
     * bare string, companyName null, no lastName, no dndSettings, an appointment whose times
     * have no zone ("2021-07-16 11:00:00").
     */
    looseContactId: 'lPark2Wd8Kc4Zm6Qs1Yb',
    /** Desert Bloom Properties LLC: Maria plus three colleagues (4 contacts). */
    businessId: '65f1c0a2b3d4e5f60718293a',
    /**
     * The first page of `contacts(first: 5)` in the default order (newest first): Jordan Ellis,
     * Amara Nwosu, Luis Ortega, Grace Whitfield, Noah Lindqvist, added after every other contact,
     * with pending, overdue and completed tasks (12), notes (6) and appointments (5) between them.
     */
    firstPageContactIds: [
      'jEllisOhbVrpoiVgRV5I',
      'aNwosufLBcbfnoGMbJmT',
      'lOrtgaPSIAoCLrZ3aWZk',
      'gWhitfSBvrjn9Wvgfygw',
      'nLindq2wMqZcUDIh7yfJ',
    ],
    businessContactIds: [
      'mAlvrz4Kq8TnW2pX6bYd',
      'bLoom1Jc5Rk8Tw2Xe6Pa',
      'bLoom2Fh3Gn7Lq9Sv4Ud',
      'bLoom3Mx5Zb1Cy8Nw2Ke',
    ],
  },
  harbor: {
    locationId: 'hBrDnt5XqL8cZ3rT6yE2',
    name: 'Harbor Dental',
    /** Priya Raman: 2 tasks, 1 note, 2 appointments; useful for cross-location (403) checks. */
    richContactId: 'pRamn7Ev2Hk9Qw4Ls6Ty',
    richContactEmail: 'priya.raman@example.net',
    taskIds: { pending: 'tPrya1Bc3De5Fg7Hi9Jk' },
    noteIds: ['nPrya2Lm4No6Pq8Rs0Tu'],
    appointmentIds: ['aPrya3Vw5Xy7Za9Bc1De', 'aPrya4Fg6Hi8Jk0Lm2No'],
    /** Casco Bay Marine Supply: 3 contacts. */
    businessId: '66a2d1b3c4e5f60718293a4b',
    businessContactIds: ['pRamn7Ev2Hk9Qw4Ls6Ty', 'cAsco1Pq3Rs5Tu7Vw9Xy', 'cAsco2Za4Bc6De8Fg0Hi'],
  },
} as const;

/**
 * The agency (GHL "company") both locations belong to. OAuth responses name it as `companyId`,
 * agency tokens are issued for it, and `POST /oauth/locationToken` takes it.
 */
export const sandboxAgency = {
  companyId: 'cSbxAg3ncy7Rq2Lw9Zt4',
  name: 'Sandbox Agency',
} as const;
