//! Okta System Log (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Okta System Log format.
pub struct Okta;

impl Format for Okta {
    fn id(&self) -> &'static str {
        "okta"
    }
    fn name(&self) -> &'static str {
        "Okta System Log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("okta", "okta")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
