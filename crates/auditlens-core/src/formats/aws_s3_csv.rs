//! AWS S3 data-event CSV (being implemented).

use super::{Ctx, Format};
use crate::json::Val;
use crate::model::Draft;

/// The AWS S3 data-event CSV format.
pub struct AwsS3Csv;

impl Format for AwsS3Csv {
    fn id(&self) -> &'static str {
        "aws_s3_csv"
    }
    fn name(&self) -> &'static str {
        "AWS S3 data-event CSV"
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
