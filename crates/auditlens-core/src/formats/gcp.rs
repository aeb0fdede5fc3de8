//! GCP Cloud Audit Logs (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The GCP Cloud Audit Logs format.
pub struct Gcp;

impl Format for Gcp {
    fn id(&self) -> &'static str {
        "gcp"
    }
    fn name(&self) -> &'static str {
        "GCP Cloud Audit Logs"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("gcp", "gcp.audit")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
