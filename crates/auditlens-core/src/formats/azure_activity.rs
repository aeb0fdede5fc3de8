//! Azure Activity Log (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The Azure Activity Log format.
pub struct AzureActivity;

impl Format for AzureActivity {
    fn id(&self) -> &'static str {
        "azure_activity"
    }
    fn name(&self) -> &'static str {
        "Azure Activity Log"
    }
    fn logsource(&self) -> (&'static str, &'static str) {
        ("azure", "activitylogs")
    }
    fn sniff(&self, _rec: Val<'_, '_>, _ctx: &Ctx) -> u32 {
        0
    }
    fn map<'a>(&self, _rec: Val<'_, 'a>, _ctx: &Ctx, _d: &mut Draft<'a>) -> Result<(), String> {
        Err("not implemented".into())
    }
}
