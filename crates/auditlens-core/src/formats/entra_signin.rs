//! Entra ID sign-in logs (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Entra ID sign-in logs format.
pub struct EntraSignin;

impl Format for EntraSignin {
    fn id(&self) -> &'static str {
        "entra_signin"
    }
    fn name(&self) -> &'static str {
        "Entra ID sign-in logs"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("azure", "signinlogs")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
