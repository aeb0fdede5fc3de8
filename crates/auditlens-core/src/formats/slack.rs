//! Slack audit log (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Slack audit log format.
pub struct Slack;

impl Format for Slack {
    fn id(&self) -> &'static str {
        "slack"
    }
    fn name(&self) -> &'static str {
        "Slack audit log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("slack", "audit")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
