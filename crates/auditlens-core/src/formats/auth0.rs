//! Auth0 logs (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Auth0 logs format.
pub struct Auth0;

impl Format for Auth0 {
    fn id(&self) -> &'static str {
        "auth0"
    }
    fn name(&self) -> &'static str {
        "Auth0 logs"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("auth0", "logs")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
