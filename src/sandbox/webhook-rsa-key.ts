// The sandbox's RSA webhook signing key (2048 bit), for the legacy `x-wh-signature` header.
// A SANDBOX-ONLY key, published on purpose with the source: it proves nothing about who sent a
// webhook except "this local sandbox". Never use it for anything else. It is fixed (not made per
// process) because GHL's key is fixed too: a receiver configured once with the public key keeps
// working across sandbox restarts. Stored as a JWK: RSA keys cannot practically be derived from a seed.

import type { JsonWebKey } from 'node:crypto';

export const SANDBOX_RSA_WEBHOOK_JWK: JsonWebKey = {
  kty: 'RSA',
  n: 'omLK8w0fImDZyhNS4e81ljA4fEUQVN3VY6Htmog05uQH6fdchEkkNNHMqyfEugK9GjaQjp7vqO7va-erAIe_a7Qa2LFVGV5tJikHMBEev3gypjClIscT3gNEC9nZj1AMgTop0B80u69rOhZfv2LTBJsnU0f2JUz3KjP3rm2T5vkdjQAOi22FxMVEE488mp3kugZVXKtAV--PrrFB_rr1LJ9fr4i7oRcIueA1VI0-kWiu9oGdqM2GXKD2czeD-Vk1nE2FPtDbWR3uiVGuAuF3jDWIOgBAygRSpMxxRgT1W3O7usdUrdOTU-zRY6jeIf2dLTJZlebdjfXd0fVc2ftolw',
  e: 'AQAB',
  d: 'J5R470EVg6WjsBOBsjxCDXd3bSLQVj8z0fMYHQByFI0kOKzoSf4h6xXwEw_Aba5ZNVhzZ6_prn1-sghnr9tmlvPxTzv6CBLx-8koTVj-66B6h_N3bMClYQnevhy9YKccRStOIcJZch3RvvjRIa8OzCKdNTlnD7Rw0kKUblmbIULXDtK8GOrR_hHLJ2YwSil7x34bSWQ6ZrmsQd43ysrmcrmN5EaXR438N47aWAGleaMOSaUGm7n2slokFnSSOKCjOBoo0vZmTC_YocMQC9f2hNPo9rq3mEqI9mS3bhtUyrkj9aZ6rahsKJZqnymw88YCCHj0Bw8rhRLraxEWvsLbIQ',
  p: '5ZcvOCxTtWIjiQ_3GVDs3TxrknKA_TddCfMkEQh6YkFzfhqdImItTsRDLHoMEqKhq_q_IYvHSJBLQclQA8f4H7aWqh-GLGfQ_VcrRrJGxb6Jn5wH0k269uTG2nzhWxGi1y9yMD9WsWqIjDmXRsHXe04aY2hTHkK1sZAJysK4IH8',
  q: 'tRCdWNQ8izwTl4uaEOJkK1deREC-2-d8hNevhkS0Y-d8Qgd3eyWB6dIM7hOGgCUhFEfEJcDE8cwxcqB4be-gbEQNs8a-iA3TGV0KZKPX6IDulJD2YAOLVWOOhLH0BeLl2AgCFxBNGIMi5YcUL4kQZ3Lm6fdLND-DN8vlc6TPq-k',
  dp: 'IjdI0z9P7l1E3H1jnwM_ea0yfu3PqW0h0YTJ4Dv6OUB13NpMhr5I8E8xj6RUvkY8f-vrpi01suvGO3SsFxQrN1a313zBO0bxj3_5NB0HjRrbWc0gIUhyT69Cr3cjArZ7JUSt6ODXo7MzzGoc0G-9FGRMbHo0wPLCL0c_HlespzM',
  dq: 'eDec0RKxVBzCQVdOJrG5olEy5Iw8bJNIyIbQIozRXJegl9KPUPM5S37MWPIb1k9QpD92Cz7vRD-4AQxsiUmVsOyKUHe_n2PWajutH97tBpE8VuXcvyj7ROmCAbaJd7MLuiCvCpMnLQQ8kjraeyk8_AJ9MJChnQIiZFR7dwnRXKk',
  qi: 'ug9MGrOyIbXYKYw8bEC9cIFlxM48EIIvfbnwuWpuzQD5EG1OX5KNsUx9fKKVDC8KBY9H7SEqk_TtCuxetpDiOKsjmHOeMb2GJndx99vDBxNYDEd5NckTqAroHBqp2-zo_GEbVdcikJOpE1KZ7Q752AcgFpwrwUIUOd27WZhtQRA',
};
