//! Cloudflare audit log (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Cloudflare audit log format.
pub struct Cloudflare;

impl Format for Cloudflare {
    fn id(&self) -> &'static str {
        "cloudflare"
    }
    fn name(&self) -> &'static str {
        "Cloudflare audit log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("cloudflare", "audit")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
