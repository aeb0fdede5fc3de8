//! Kubernetes audit (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Kubernetes audit format.
pub struct Kubernetes;

impl Format for Kubernetes {
    fn id(&self) -> &'static str {
        "kubernetes"
    }
    fn name(&self) -> &'static str {
        "Kubernetes audit"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("kubernetes", "audit")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
