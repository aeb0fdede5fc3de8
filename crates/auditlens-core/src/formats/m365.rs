//! Microsoft 365 Unified Audit Log (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Microsoft 365 Unified Audit Log format.
pub struct M365;

impl Format for M365 {
    fn id(&self) -> &'static str {
        "m365"
    }
    fn name(&self) -> &'static str {
        "Microsoft 365 Unified Audit Log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("m365", "audit")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
