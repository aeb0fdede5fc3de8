//! 1Password audit events (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The 1Password audit events format.
pub struct OnePassword;

impl Format for OnePassword {
    fn id(&self) -> &'static str {
        "onepassword"
    }
    fn name(&self) -> &'static str {
        "1Password audit events"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("onepassword", "audit")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
