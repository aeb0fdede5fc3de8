//! Entra ID audit logs (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Entra ID audit logs format.
pub struct EntraAudit;

impl Format for EntraAudit {
    fn id(&self) -> &'static str {
        "entra_audit"
    }
    fn name(&self) -> &'static str {
        "Entra ID audit logs"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("azure", "auditlogs")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
