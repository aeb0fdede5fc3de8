//! GitHub audit log (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The GitHub audit log format.
pub struct GitHub;

impl Format for GitHub {
    fn id(&self) -> &'static str {
        "github"
    }
    fn name(&self) -> &'static str {
        "GitHub audit log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("github", "audit")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
