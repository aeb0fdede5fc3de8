//! The normalized audit event and its vocabulary.
//!
//! Every format maps into [`Draft`] (borrowed strings, cheap to build); the dataset interns it
//! into a compact [`Event`] whose strings are [`Sym`] ids into one [`Interner`]. Derived values
//! (category, activity, outcome) carry the id of the rule that set them so the UI and the report
//! can say *why*.

use std::borrow::Cow;
use std::hash::BuildHasher;
use std::net::IpAddr;

/// An interned string id. `Sym(0)` is the empty string and means "absent".
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, PartialOrd, Ord)]
pub struct Sym(pub u32);

impl Sym {
    /// The absent value.
    pub const NONE: Sym = Sym(0);
    /// Is this the absent value?
    pub fn is_none(self) -> bool {
        self.0 == 0
    }
    /// Is a value present?
    pub fn is_some(self) -> bool {
        self.0 != 0
    }
}

/// A string table: each distinct string stored once in one arena.
#[derive(Clone)]
pub struct Interner {
    arena: String,
    spans: Vec<(u32, u32)>,
    table: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Default for Interner {
    fn default() -> Self {
        let mut i = Interner {
            arena: String::new(),
            spans: Vec::new(),
            table: hashbrown::HashTable::new(),
            hasher: hashbrown::DefaultHashBuilder::default(),
        };
        i.spans.push((0, 0)); // Sym(0) = ""
        i
    }
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Interner({} strings, {} bytes)",
            self.spans.len(),
            self.arena.len()
        )
    }
}

impl Interner {
    /// Interns `s`; the empty string is `Sym::NONE`.
    pub fn intern(&mut self, s: &str) -> Sym {
        if s.is_empty() {
            return Sym::NONE;
        }
        let h = self.hasher.hash_one(s);
        let (arena, spans) = (&self.arena, &self.spans);
        let eq = |id: &u32| {
            let (st, len) = spans[*id as usize];
            &arena[st as usize..(st + len) as usize] == s
        };
        if let Some(id) = self.table.find(h, eq) {
            return Sym(*id);
        }
        let id = self.spans.len() as u32;
        let start = self.arena.len() as u32;
        self.arena.push_str(s);
        self.spans.push((start, s.len() as u32));
        let (arena, spans, hasher) = (&self.arena, &self.spans, &self.hasher);
        self.table.insert_unique(h, id, |id| {
            let (st, len) = spans[*id as usize];
            hasher.hash_one(&arena[st as usize..(st + len) as usize])
        });
        Sym(id)
    }

    /// Looks up `s` without inserting.
    pub fn lookup(&self, s: &str) -> Option<Sym> {
        if s.is_empty() {
            return Some(Sym::NONE);
        }
        let h = self.hasher.hash_one(s);
        self.table
            .find(h, |id| self.get(Sym(*id)) == s)
            .map(|id| Sym(*id))
    }

    /// The string of a symbol.
    pub fn get(&self, sym: Sym) -> &str {
        let (st, len) = self.spans.get(sym.0 as usize).copied().unwrap_or((0, 0));
        &self.arena[st as usize..(st + len) as usize]
    }

    /// The string, or `None` for the absent symbol.
    pub fn opt(&self, sym: Sym) -> Option<&str> {
        if sym.is_none() {
            None
        } else {
            Some(self.get(sym))
        }
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Always false (the empty string is always present).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Bytes held by the arena.
    pub fn bytes(&self) -> usize {
        self.arena.len() + self.spans.len() * 8 + self.table.capacity() * 5
    }
}

macro_rules! names_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, Default)]
        #[repr(u8)]
        pub enum $name { #[default] $($(#[$vm])* $var),+ }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// The stable lower-case name used in output and queries.
            pub fn name(self) -> &'static str { match self { $($name::$var => $s),+ } }
            /// Parses a stable name (case-insensitive).
            pub fn from_name(s: &str) -> Option<Self> {
                $( if s.eq_ignore_ascii_case($s) { return Some($name::$var); } )+
                None
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.name()) }
        }
    };
}

names_enum!(
    /// What an event is about, for an investigator (see the design notes, A.4).
    Category {
        /// Anything unclassified.
        Other = "other",
        /// Login, logout, MFA challenge, SSO, session start/end/refresh.
        Authentication = "authentication",
        /// User, group, role and membership lifecycle; privilege assignment.
        Identity = "identity",
        /// API keys, tokens, access keys, secrets, passwords, MFA factors.
        Credential = "credential",
        /// Org, tenant, security and audit settings; policies; integrations; webhooks.
        Configuration = "configuration",
        /// Create/update/delete of infrastructure or application objects.
        Resource = "resource",
        /// Read, download, export, list of data.
        DataAccess = "data_access",
    }
);

names_enum!(
    /// The verb of an event.
    Activity {
        /// Unclassified.
        Other = "other",
        /// Create, add, invite, register.
        Create = "create",
        /// Read, list, get, download.
        Read = "read",
        /// Update, modify, change, set.
        Update = "update",
        /// Delete, remove, destroy, drop.
        Delete = "delete",
        /// Login / session start.
        Logon = "logon",
        /// Logout / session end.
        Logoff = "logoff",
        /// Grant a role, privilege or membership.
        Assign = "assign",
        /// Revoke a role, privilege, membership or credential.
        Revoke = "revoke",
        /// Enable or activate.
        Enable = "enable",
        /// Disable, deactivate or suspend.
        Disable = "disable",
    }
);

names_enum!(
    /// Three-valued outcome.
    Outcome {
        /// Not stated by the source.
        Unknown = "unknown",
        /// Succeeded.
        Success = "success",
        /// Failed or was refused.
        Failure = "failure",
    }
);

names_enum!(
    /// Why a failure failed: telling a bad password from a refused permission from a broken deploy.
    FailureKind {
        /// Not a failure, or unclassified.
        None = "none",
        /// Authentication failed (bad password, invalid OTP, locked account).
        AuthN = "authn",
        /// Authorization refused (access denied, forbidden, policy violation).
        AuthZ = "authz",
        /// The operation itself failed (deployment failed, workflow failed).
        Operation = "operation",
        /// Rate limited or throttled.
        Throttled = "throttled",
        /// Other failures (MFA interrupts, timeouts).
        Other = "other",
    }
);

names_enum!(
    /// Who performed an action.
    PrincipalKind {
        /// Unknown.
        Unknown = "unknown",
        /// A human user.
        User = "user",
        /// A service account or application identity.
        ServiceAccount = "service",
        /// An API key or token.
        ApiKey = "api_key",
        /// An assumed role.
        Role = "role",
        /// The system itself (scheduled jobs, the vendor).
        System = "system",
        /// Anonymous / unauthenticated.
        Anonymous = "anonymous",
    }
);

/// A target of an action, interned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Target {
    /// Resource type (`instance`, `USER`, `AWS::S3::Bucket`, `pods`).
    pub kind: Sym,
    /// Identifier.
    pub id: Sym,
    /// Display name.
    pub name: Sym,
}

/// Where a record's bytes live: its original span in the file, and the JSON document that
/// mappers and raw-field lookups read (the same span for JSON input; a synthesized or decoded
/// document in the file's side buffer for CSV rows and double-encoded records).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SourceRef {
    /// Index of the file in the dataset.
    pub file: u32,
    /// 1-based record number within the file.
    pub record: u32,
    /// 1-based line where the record starts.
    pub line: u32,
    /// Byte offset of the original record in the (decompressed) file.
    pub start: u64,
    /// Length of the original record.
    pub len: u32,
    /// The JSON document: in the side buffer (true) or the file bytes (false).
    pub doc_in_side: bool,
    /// Offset of the JSON document.
    pub doc_start: u64,
    /// Length of the JSON document.
    pub doc_len: u32,
}

/// A piece of text from a record, packed into 8 bytes: a span of the record's document (no
/// copy), a span of the file's side buffer, or an interned string. See [`RawText::get`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RawText {
    off: u32,
    /// Top two bits: 0 none, 1 in the document, 2 interned, 3 side buffer; the rest: length.
    tagged: u32,
}

/// The unpacked form of a [`RawText`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawKind {
    /// Absent.
    None,
    /// Bytes `off..off+len` of the event's document.
    InDoc(u32, u32),
    /// An interned string.
    Interned(Sym),
    /// Bytes `off..off+len` of the file's side buffer.
    Side(u32, u32),
}

impl RawText {
    /// Absent.
    pub const NONE: RawText = RawText { off: 0, tagged: 0 };
    const LEN: u32 = (1 << 30) - 1;

    /// A span of the document (`None` when too long to pack).
    pub fn in_doc(off: usize, len: usize) -> Option<RawText> {
        Self::pack(1, off, len)
    }
    /// A span of the side buffer (`None` when it does not fit).
    pub fn side(off: usize, len: usize) -> Option<RawText> {
        Self::pack(3, off, len)
    }
    /// An interned string.
    pub fn interned(s: Sym) -> RawText {
        RawText {
            off: s.0,
            tagged: 2 << 30,
        }
    }
    fn pack(tag: u32, off: usize, len: usize) -> Option<RawText> {
        let off = u32::try_from(off).ok()?;
        let len = u32::try_from(len).ok().filter(|l| *l <= Self::LEN)?;
        Some(RawText {
            off,
            tagged: tag << 30 | len,
        })
    }
    /// Unpacks.
    pub fn get(self) -> RawKind {
        let len = self.tagged & Self::LEN;
        match self.tagged >> 30 {
            1 => RawKind::InDoc(self.off, len),
            2 => RawKind::Interned(Sym(self.off)),
            3 => RawKind::Side(self.off, len),
            _ => RawKind::None,
        }
    }
    /// Is it absent?
    pub fn is_none(self) -> bool {
        self.tagged >> 30 == 0
    }
}

/// A normalized, interned audit event.
#[derive(Clone, Debug, Default)]
pub struct Event {
    /// UTC nanoseconds since the epoch.
    pub time: i64,
    /// The time text as written in the source.
    pub time_raw: RawText,
    /// `time::ZONE_ASSUMED` etc.
    pub time_flags: u8,
    /// Vendor action verbatim.
    pub action: Sym,
    /// Service / event source.
    pub service: Sym,
    /// Derived category.
    pub category: Category,
    /// Derived activity.
    pub activity: Activity,
    /// Derived outcome.
    pub outcome: Outcome,
    /// Failure kind when the outcome is a failure.
    pub failure: FailureKind,
    /// Vendor status or error code verbatim.
    pub status_code: Sym,
    /// Vendor failure reason / message.
    pub reason: Sym,
    /// Rule ids that derived category, activity and outcome, joined by `;`.
    pub why: Sym,
    /// Actor name (email, login, ARN, user name).
    pub actor_name: Sym,
    /// Actor id.
    pub actor_id: Sym,
    /// Actor kind.
    pub actor_kind: PrincipalKind,
    /// False when the actor name is an unverified claim (e.g. a failed login's user name).
    pub actor_verified: bool,
    /// Credential used (access key id, API key id, token id).
    pub credential: Sym,
    /// MFA used, when the source says.
    pub mfa: Option<bool>,
    /// Parsed source IP (ports and IPv4-mapped prefixes stripped).
    pub src_ip: Option<IpAddr>,
    /// Source text when it is not an IP (`AWS Internal`, `cloudtrail.amazonaws.com`).
    pub src_raw: Sym,
    /// User agent.
    pub user_agent: Sym,
    /// Country code or name, only where the source provides it.
    pub country: Sym,
    /// Range into the dataset's target table.
    pub targets: (u32, u16),
    /// Tenant: account, project, subscription, org.
    pub tenant: Sym,
    /// Region / location.
    pub region: Sym,
    /// Vendor event id (usually a span of the record: ids are unique, interning them is waste).
    pub uid: RawText,
    /// Correlation / request id.
    pub correlation: Sym,
    /// Before and after state (JSON text, or plain text), when the source carries them:
    /// spans of the record where possible, never a second copy of the file.
    pub changes: [RawText; 2],
    /// Where the record came from.
    pub src: SourceRef,
    /// Source format id (index into `formats::ALL`).
    pub format: u16,
    /// How many identical records from the inputs were collapsed into this one (0 = none).
    pub dups: u32,
    /// Deduplication key (bit 0 set: a merge key, where stages of one request combine).
    pub dedup_key: u64,
    /// Preference among merged stages (higher wins).
    pub merge_rank: u8,
}

/// A target as mapped: (type, id, name).
pub type DraftTarget<'a> = (
    Option<Cow<'a, str>>,
    Option<Cow<'a, str>>,
    Option<Cow<'a, str>>,
);

/// Mapper output for one record: plain values, borrowed from the input where possible.
#[derive(Debug, Default, Clone)]
pub struct Draft<'a> {
    /// Parsed time.
    pub time: Option<crate::time::Ts>,
    /// Original time text.
    pub time_raw: Option<Cow<'a, str>>,
    /// Vendor action.
    pub action: Option<Cow<'a, str>>,
    /// Service / source.
    pub service: Option<Cow<'a, str>>,
    /// Category and the rule id that chose it.
    pub category: Option<(Category, &'static str)>,
    /// Activity and the rule id.
    pub activity: Option<(Activity, &'static str)>,
    /// Outcome, failure kind and the rule id.
    pub outcome: Option<(Outcome, FailureKind, &'static str)>,
    /// Vendor status code.
    pub status_code: Option<Cow<'a, str>>,
    /// Failure reason / message.
    pub reason: Option<Cow<'a, str>>,
    /// Actor name.
    pub actor_name: Option<Cow<'a, str>>,
    /// Actor id.
    pub actor_id: Option<Cow<'a, str>>,
    /// Actor kind.
    pub actor_kind: Option<PrincipalKind>,
    /// Set when the actor name is only a claim (failed login).
    pub actor_unverified: bool,
    /// Credential id.
    pub credential: Option<Cow<'a, str>>,
    /// MFA used.
    pub mfa: Option<bool>,
    /// Source address text (IP, IP:port, host name…).
    pub src: Option<Cow<'a, str>>,
    /// User agent.
    pub user_agent: Option<Cow<'a, str>>,
    /// Country.
    pub country: Option<Cow<'a, str>>,
    /// Targets (type, id, name).
    pub targets: Vec<DraftTarget<'a>>,
    /// Tenant.
    pub tenant: Option<Cow<'a, str>>,
    /// Region.
    pub region: Option<Cow<'a, str>>,
    /// Vendor id.
    pub uid: Option<Cow<'a, str>>,
    /// Correlation id.
    pub correlation: Option<Cow<'a, str>>,
    /// Before/after state as raw JSON texts.
    pub before: Option<Cow<'a, str>>,
    /// After state as raw JSON text.
    pub after: Option<Cow<'a, str>>,
    /// Extra free text to index for search (details, messages), not stored separately.
    pub text: Vec<Cow<'a, str>>,
    /// Records with the same merge key are stages of one request and combine into one event
    /// (Kubernetes `auditID`); the highest `merge_rank` supplies the fields.
    pub merge_key: Option<Cow<'a, str>>,
    /// Preference among merged stages.
    pub merge_rank: u8,
}

impl<'a> Draft<'a> {
    /// Adds a target if any part is present.
    pub fn target(
        &mut self,
        kind: Option<Cow<'a, str>>,
        id: Option<Cow<'a, str>>,
        name: Option<Cow<'a, str>>,
    ) {
        let nz = |v: Option<Cow<'a, str>>| v.filter(|s| !s.trim().is_empty());
        let (kind, id, name) = (nz(kind), nz(id), nz(name));
        if id.is_some() || name.is_some() {
            self.targets.push((kind, id, name));
        }
    }
}

/// Parses a source address: strips ports, brackets, IPv4-mapped IPv6 prefixes and zone ids.
/// Returns the IP, or `None` when the text is not an address (a host or service name).
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    // A list ("1.2.3.4, 10.0.0.1") → the first.
    let t = t.split(',').next().unwrap_or(t).trim();
    let ip = if let Ok(ip) = t.parse::<IpAddr>() {
        ip
    } else if let Some(rest) = t.strip_prefix('[') {
        // [::ffff:1.2.3.4]:5678
        let inner = rest.split(']').next()?;
        inner.split('%').next()?.parse().ok()?
    } else if let Some((host, port)) = t.rsplit_once(':') {
        // 1.2.3.4:5678 (only for IPv4; a bare IPv6 parsed above)
        if port.bytes().all(|c| c.is_ascii_digit()) && !host.contains(':') {
            host.parse().ok()?
        } else {
            t.split('%').next()?.parse().ok()?
        }
    } else {
        return None;
    };
    Some(match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interner_dedups_and_round_trips() {
        let mut i = Interner::default();
        let a = i.intern("alice");
        let b = i.intern("bob");
        assert_eq!(i.intern("alice"), a);
        assert_ne!(a, b);
        assert_eq!(i.get(a), "alice");
        assert_eq!(i.intern(""), Sym::NONE);
        assert_eq!(i.lookup("bob"), Some(b));
        assert_eq!(i.lookup("carol"), None);
        for k in 0..10_000 {
            i.intern(&format!("k{k}"));
        }
        assert_eq!(i.get(i.lookup("k9999").unwrap()), "k9999");
        assert_eq!(i.get(b), "bob");
    }

    #[test]
    fn ip_forms() {
        let p = |s: &str| parse_ip(s).map(|i| i.to_string());
        assert_eq!(p("185.73.124.135:3521").as_deref(), Some("185.73.124.135"));
        assert_eq!(p("[::ffff:1.2.3.4]:5678").as_deref(), Some("1.2.3.4"));
        assert_eq!(p("::ffff:10.0.0.1").as_deref(), Some("10.0.0.1"));
        assert_eq!(p("2001:db8::1").as_deref(), Some("2001:db8::1"));
        assert_eq!(p("fe80::1%eth0").as_deref(), Some("fe80::1"));
        assert_eq!(p("10.0.0.1, 10.0.0.2").as_deref(), Some("10.0.0.1"));
        assert_eq!(p("AWS Internal"), None);
        assert_eq!(p("cloudtrail.amazonaws.com"), None);
        assert_eq!(p("gce-internal-ip"), None);
    }

    #[test]
    fn enum_names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::from_name(c.name()), Some(*c));
        }
        assert_eq!(Outcome::from_name("FAILURE"), Some(Outcome::Failure));
    }
}
