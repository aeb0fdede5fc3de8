//! AWS CloudTrail (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The AWS CloudTrail format.
pub struct CloudTrail;

impl Format for CloudTrail {
    fn id(&self) -> &'static str {
        "cloudtrail"
    }
    fn name(&self) -> &'static str {
        "AWS CloudTrail"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("aws", "cloudtrail")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
