//! Google Workspace activity (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Google Workspace activity format.
pub struct GWorkspace;

impl Format for GWorkspace {
    fn id(&self) -> &'static str {
        "gworkspace"
    }
    fn name(&self) -> &'static str {
        "Google Workspace activity"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("google_workspace", "login")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
