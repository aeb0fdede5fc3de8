//! The synthetic organisation: people, automation identities, networks and the attacker.
//!
//! Everything here depends on the seed only (never on the format or the event count), so the
//! same seed gives the same people, e-mail addresses, home IPs, browsers and time zones in every
//! format: files generated with one seed describe one organisation.

use crate::rng::{Rng, Uuid, LOWER_ALNUM, UPPER_ALNUM};

/// Number of human members.
pub(crate) const PEOPLE: usize = 40;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    Owner,
    Admin,
    Developer,
    Viewer,
    Billing,
}

impl Role {
    /// May manage members, roles, keys and org settings.
    pub(crate) fn is_admin(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    /// May change infrastructure (deploy, restart, configure).
    pub(crate) fn can_write(self) -> bool {
        matches!(self, Role::Owner | Role::Admin | Role::Developer)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mfa {
    None,
    Totp,
    Passkey,
}

/// One human member. Stable home IP, one browser, one time zone, fixed working hours.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    /// `first.last`
    pub login: String,
    pub email: String,
    pub role: Role,
    /// Fixed UTC offset of the person's zone (no DST in the default February window).
    pub tz_min: i32,
    pub zone: &'static str,
    pub ip: String,
    pub ua: &'static str,
    pub mfa: Mfa,
    /// Signs in through the company IdP where the product supports it (vendor E OAuth).
    pub sso: bool,
    /// Local working window, minutes after midnight.
    pub day_start: u32,
    pub day_end: u32,
    pub uuid: Uuid,
    /// ops0-style id (`usr_…`).
    pub short_id: String,
    /// OpsKnight-style cuid.
    pub cuid: String,
    /// CloudTrail IAM principal id (`AIDA…`).
    pub iam_id: String,
    /// Per-mille chance that a sign-in starts with a mistyped password.
    pub typo_permille: u64,
}

/// Automation identities (API keys / service users). Their names and user agents are
/// product-specific and come from each dialect; ids and networks are shared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AutoKind {
    /// CI/CD pipeline (GitHub Actions runners: many IPs).
    Ci = 0,
    /// Infrastructure-as-code (Terraform Cloud: two IPs).
    Infra = 1,
    /// The product's own scheduler / monitoring ("system").
    Sys = 2,
}

#[derive(Clone, Debug)]
pub(crate) struct Key {
    pub uuid: Uuid,
    pub short_id: String,
    pub iam_id: String,
    pub access_key: String,
    pub ips: Vec<String>,
}

/// Which attacker vantage point an incident record comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AttackNet {
    /// Password spray: spray IP, scripted client.
    Spray,
    /// Brute force: attacker IP, scripted client.
    Brute,
    /// Post-compromise: attacker IP, a browser the victim never used.
    Browser,
}

pub(crate) const ATTACK_SCRIPT_UA: &str = "python-requests/2.32.3";
pub(crate) const ATTACK_BROWSER_UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/139.0.0.0 Safari/537.36";

#[derive(Clone, Debug)]
pub(crate) struct Org {
    pub name: &'static str,
    pub slug: &'static str,
    pub domain: String,
    pub people: Vec<Person>,
    pub keys: [Key; 3],
    /// Index of the account that gets brute-forced and taken over.
    pub victim: usize,
    /// Accounts the password spray tries (never the victim).
    pub spray_targets: Vec<usize>,
    pub spray_ip: String,
    pub brute_ip: String,
    pub aws_account: String,
    /// Current role per person (role changes mutate it).
    pub roles: Vec<Role>,
    /// Current MFA state per person.
    pub mfa: Vec<Mfa>,
}

const ORGS: &[(&str, &str, &str)] = &[
    ("Kestrel Labs", "kestrel-labs", "kestrel-labs.example"),
    (
        "Northwind Analytics",
        "northwind",
        "northwind-analytics.example",
    ),
    ("Harbor & Pine", "harbor-pine", "harborpine.example"),
    ("Bluefin Systems", "bluefin", "bluefin-systems.example"),
];

const FIRST: &[&str] = &[
    "alice",
    "ben",
    "chloe",
    "daniel",
    "elena",
    "felix",
    "greta",
    "hugo",
    "ines",
    "jonas",
    "katrin",
    "lucas",
    "maya",
    "noah",
    "olivia",
    "pablo",
    "quentin",
    "rosa",
    "sven",
    "tara",
    "umar",
    "vera",
    "willem",
    "yara",
    "zoe",
    "amelie",
    "bruno",
    "clara",
    "david",
    "emma",
    "finn",
    "hanna",
    "ivan",
    "julia",
    "karim",
    "lena",
    "marco",
    "nina",
    "oscar",
    "paula",
    "rafael",
    "sara",
    "tomas",
    "valentina",
    "wiktor",
    "agnieszka",
    "luca",
    "sofia",
    "matteo",
    "freya",
    "leon",
    "mila",
    "theo",
    "nora",
    "arjun",
    "priya",
    "mei",
    "aisha",
];

const LAST: &[&str] = &[
    "martin",
    "schmidt",
    "dubois",
    "rossi",
    "garcia",
    "novak",
    "kowalski",
    "jansen",
    "silva",
    "murphy",
    "walsh",
    "bernard",
    "fischer",
    "weber",
    "moreau",
    "costa",
    "santos",
    "bauer",
    "laurent",
    "visser",
    "nowak",
    "hughes",
    "kelly",
    "ferreira",
    "lefevre",
    "romano",
    "becker",
    "hoffmann",
    "petit",
    "mertens",
    "peeters",
    "lindqvist",
    "nielsen",
    "andersen",
    "horvat",
    "popescu",
    "ricci",
    "conti",
    "bakker",
    "smit",
    "evans",
    "clarke",
    "wright",
    "byrne",
    "roche",
    "keller",
    "vogel",
    "marchetti",
    "duarte",
    "okafor",
];

/// (zone label, UTC offset in minutes, ISP prefixes for home IPs)
const ZONES: &[(&str, i32, &[[u8; 2]])] = &[
    (
        "Europe/London",
        0,
        &[[81, 2], [86, 142], [90, 214], [109, 153], [2, 24]],
    ),
    ("Europe/Dublin", 0, &[[37, 228], [89, 101], [78, 16]]),
    ("Europe/Lisbon", 0, &[[85, 240], [94, 60], [188, 81]]),
    (
        "Europe/Berlin",
        60,
        &[[84, 134], [91, 64], [93, 220], [87, 150]],
    ),
    (
        "Europe/Paris",
        60,
        &[[82, 64], [90, 9], [176, 143], [86, 245]],
    ),
    ("Europe/Amsterdam", 60, &[[83, 80], [145, 53], [77, 163]]),
    ("Europe/Madrid", 60, &[[88, 24], [79, 153], [83, 45]]),
    ("Europe/Warsaw", 60, &[[89, 64], [83, 21], [31, 0]]),
];

const BROWSERS: &[(u64, &str)] = &[
    (30, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/144.0.0.0 Safari/537.36"),
    (22, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/144.0.0.0 Safari/537.36"),
    (10, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.2 Safari/605.1.15"),
    (8, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/144.0.0.0 Safari/537.36 Edg/144.0.0.0"),
    (8, "Mozilla/5.0 (X11; Linux x86_64; rv:147.0) Gecko/20100101 Firefox/147.0"),
    (7, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:147.0) Gecko/20100101 Firefox/147.0"),
    (6, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:147.0) Gecko/20100101 Firefox/147.0"),
    (5, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/144.0.0.0 Safari/537.36"),
];

/// GitHub Actions runners (Azure) and Terraform Cloud egress.
const CI_PREFIXES: &[[u8; 2]] = &[[20, 57], [4, 175], [52, 160], [20, 102]];
const INFRA_IPS: &[&str] = &["52.86.200.106", "52.86.201.227"];
const SYS_IPS: &[&str] = &["35.204.118.19"];
const SPRAY_PREFIXES: &[[u8; 3]] = &[[185, 220, 101], [45, 142, 212], [193, 32, 162]];
const BRUTE_PREFIXES: &[[u8; 3]] = &[[91, 92, 251], [194, 26, 192], [179, 43, 175]];

fn ip4(rng: &mut Rng, p: [u8; 2]) -> String {
    format!(
        "{}.{}.{}.{}",
        p[0],
        p[1],
        rng.range(1, 254),
        rng.range(2, 253)
    )
}

fn cuid(rng: &mut Rng) -> String {
    // Prisma-style cuid: "c" + 24 lowercase alphanumerics.
    format!("cm{}", rng.token(LOWER_ALNUM, 23))
}

fn iam_id(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}{}", rng.token(UPPER_ALNUM, 17))
}

impl Org {
    pub(crate) fn new(seed: u64) -> Org {
        let mut rng = Rng::new(seed, 0x0_5eed_0f0e);
        let (name, slug, domain) = *rng.pick(ORGS);
        let domain = domain.to_string();

        // Unique first/last pairs.
        let mut pairs: Vec<(&'static str, &'static str)> = Vec::with_capacity(PEOPLE);
        while pairs.len() < PEOPLE {
            let f = *rng.pick(FIRST);
            let l = *rng.pick(LAST);
            if !pairs.iter().any(|&(pf, pl)| pf == f || pl == l) {
                pairs.push((f, l));
            }
        }

        let mut roles = Vec::with_capacity(PEOPLE);
        for (n, r) in [
            (2, Role::Owner),
            (3, Role::Admin),
            (25, Role::Developer),
            (7, Role::Viewer),
            (3, Role::Billing),
        ] {
            roles.extend(std::iter::repeat_n(r, n));
        }
        // Shuffle roles (Fisher-Yates).
        for i in (1..roles.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            roles.swap(i, j);
        }

        let mut used_ips: Vec<String> = Vec::new();
        let mut people = Vec::with_capacity(PEOPLE);
        for (i, &(first, last)) in pairs.iter().enumerate() {
            let role = roles[i];
            let zone_ix = rng.below(ZONES.len() as u64) as usize;
            let (zone, tz_min, prefixes) = ZONES[zone_ix];
            let ip = loop {
                let prefix = *rng.pick(prefixes);
                let ip = ip4(&mut rng, prefix);
                if !used_ips.contains(&ip) {
                    break ip;
                }
            };
            used_ips.push(ip.clone());
            let w: Vec<u64> = BROWSERS.iter().map(|b| b.0).collect();
            let ua = BROWSERS[rng.weighted(&w).unwrap_or(0)].1;
            let mfa_pct = match role {
                Role::Owner | Role::Admin => 100,
                Role::Developer => 70,
                Role::Viewer | Role::Billing => 30,
            };
            let mfa = if rng.below(100) < mfa_pct {
                if rng.chance(1, 4) {
                    Mfa::Passkey
                } else {
                    Mfa::Totp
                }
            } else {
                Mfa::None
            };
            let login = format!("{first}.{last}");
            people.push(Person {
                email: format!("{login}@{domain}"),
                login,
                role,
                tz_min,
                zone,
                ip,
                ua,
                mfa,
                sso: rng.chance(1, 3),
                // Start 09:00-10:00 local; stop 17:00-17:30 local. Sessions never run past
                // 18:00 local, which keeps all human activity inside 08:00-19:00 both in UTC
                // and in every zone used here.
                day_start: 540 + rng.below(61) as u32,
                day_end: 1020 + rng.below(31) as u32,
                uuid: rng.uuid(),
                short_id: format!("usr_{}", rng.token(LOWER_ALNUM, 10)),
                cuid: cuid(&mut rng),
                iam_id: iam_id(&mut rng, "AIDA"),
                typo_permille: 20 + rng.below(50),
            });
        }

        // The victim: a developer in a UTC+0 zone who uses TOTP (so "03:00 on a weekend" is
        // 03:00 local, and the takeover can disable a real second factor).
        let victim = people
            .iter()
            .position(|p| p.role == Role::Developer && p.tz_min == 0)
            .unwrap_or_else(|| {
                let i = people
                    .iter()
                    .position(|p| p.role == Role::Developer)
                    .unwrap_or(0);
                let p = &mut people[i];
                p.tz_min = 0;
                p.zone = "Europe/London";
                i
            });
        people[victim].mfa = Mfa::Totp;
        people[victim].sso = false;

        // Spray targets: 14 distinct accounts other than the victim.
        let mut spray_targets: Vec<usize> = (0..PEOPLE).filter(|&i| i != victim).collect();
        for i in (1..spray_targets.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            spray_targets.swap(i, j);
        }
        spray_targets.truncate(14);

        let mk_key = |rng: &mut Rng, ips: Vec<String>| Key {
            uuid: rng.uuid(),
            short_id: format!("usr_{}", rng.token(LOWER_ALNUM, 10)),
            iam_id: iam_id(rng, "AIDA"),
            access_key: format!("AKIA{}", rng.token(UPPER_ALNUM, 16)),
            ips,
        };
        let ci_ips: Vec<String> = (0..12)
            .map(|i| ip4(&mut rng, CI_PREFIXES[i % CI_PREFIXES.len()]))
            .collect();
        let keys = [
            mk_key(&mut rng, ci_ips),
            mk_key(&mut rng, INFRA_IPS.iter().map(|s| s.to_string()).collect()),
            mk_key(&mut rng, SYS_IPS.iter().map(|s| s.to_string()).collect()),
        ];

        let sp = *rng.pick(SPRAY_PREFIXES);
        let spray_ip = format!("{}.{}.{}.{}", sp[0], sp[1], sp[2], rng.range(2, 250));
        let bp = *rng.pick(BRUTE_PREFIXES);
        let brute_ip = format!("{}.{}.{}.{}", bp[0], bp[1], bp[2], rng.range(2, 250));
        let aws_account = format!("{}", 100_000_000_000 + rng.below(899_999_999_999));

        let roles = people.iter().map(|p| p.role).collect();
        let mfa = people.iter().map(|p| p.mfa).collect();
        Org {
            name,
            slug,
            domain,
            people,
            keys,
            victim,
            spray_targets,
            spray_ip,
            brute_ip,
            aws_account,
            roles,
            mfa,
        }
    }

    /// IP and user agent for an attacker vantage point.
    pub(crate) fn attack_net(&self, net: AttackNet) -> (&str, &'static str) {
        match net {
            AttackNet::Spray => (&self.spray_ip, ATTACK_SCRIPT_UA),
            AttackNet::Brute => (&self.brute_ip, ATTACK_SCRIPT_UA),
            AttackNet::Browser => (&self.brute_ip, ATTACK_BROWSER_UA),
        }
    }

    /// Is person `p` inside their working window at `t`?
    pub(crate) fn working(&self, p: usize, t: i64) -> bool {
        let person = &self.people[p];
        crate::timefmt::weekday(t, person.tz_min) < 5 && {
            let m = crate::timefmt::minute_of_day(t, person.tz_min);
            m >= person.day_start && m < person.day_end
        }
    }

    /// Latest time a session of `p` that is running at `t` may last until (18:00 local).
    pub(crate) fn session_deadline(&self, p: usize, t: i64) -> i64 {
        let off = i64::from(self.people[p].tz_min) * 60;
        let local = t + off;
        local - local.rem_euclid(crate::timefmt::DAY) + 18 * 3600 - off
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_is_stable_and_sane() {
        let a = Org::new(42);
        let b = Org::new(42);
        assert_eq!(a.people.len(), PEOPLE);
        for (x, y) in a.people.iter().zip(&b.people) {
            assert_eq!(x.email, y.email);
            assert_eq!(x.ip, y.ip);
        }
        let mut emails: Vec<&str> = a.people.iter().map(|p| p.email.as_str()).collect();
        emails.sort_unstable();
        emails.dedup();
        assert_eq!(emails.len(), PEOPLE);
        let mut ips: Vec<&str> = a.people.iter().map(|p| p.ip.as_str()).collect();
        ips.sort_unstable();
        ips.dedup();
        assert_eq!(ips.len(), PEOPLE, "home IPs are unique per person");
        let v = &a.people[a.victim];
        assert_eq!(v.role, Role::Developer);
        assert_eq!(v.tz_min, 0);
        assert_eq!(a.spray_targets.len(), 14);
        assert!(!a.spray_targets.contains(&a.victim));
        assert_ne!(a.spray_ip, a.brute_ip);
    }
}
