// The display time zone: UTC, the browser's zone, a fixed offset or any IANA zone. Event times stay
// RFC 3339 UTC text in the data; only their display (grid, detail, histogram) and the report follow it.

let zone = "UTC";
let fmt = null; // Intl.DateTimeFormat for an IANA zone
let fixedMinutes = null; // for "+02:00"

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** Sets the zone ("UTC", "local", "+02:00", "Europe/Berlin"); throws a RangeError for an unknown one. */
export function setZone(z) {
  z = String(z ?? "").trim() || "UTC";
  if (/^(utc|z|gmt)$/i.test(z)) z = "UTC";
  if (/^local$/i.test(z)) z = "local";
  const m = z.match(OFFSET);
  if (m) {
    const mins = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    if (Math.abs(mins) > 18 * 60) throw new RangeError(`offset ${z} is out of range`);
    zone = `${m[1]}${m[2]}:${m[3]}`;
    fixedMinutes = mins;
    fmt = null;
    return zone;
  }
  const iana = z === "local" ? browserZone() : z;
  const f = new Intl.DateTimeFormat("en-CA", {
    timeZone: iana,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    fractionalSecondDigits: 3,
    hourCycle: "h23",
    timeZoneName: "shortOffset",
  }); // throws RangeError for an unknown zone
  zone = z === "local" ? "local" : f.resolvedOptions().timeZone;
  fixedMinutes = zone === "UTC" ? 0 : null;
  fmt = zone === "UTC" ? null : f;
  return zone;
}

export const getZone = () => zone;

/** The zone as the core understands it ("UTC", "+02:00" or an IANA name). */
export const coreZone = () => (zone === "local" ? browserZone() : zone);

/** Short label for headers: "UTC", "+02:00", "Europe/Berlin". */
export const zoneLabel = () => (zone === "local" ? `local, ${browserZone()}` : zone);

/** "2026-03-01 11:00:00.000" in the display zone (with " +01:00" when `withOffset`). */
export function formatTime(iso, withOffset = false) {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return String(iso);
  return formatMs(ms, withOffset);
}

export function formatMs(ms, withOffset = false) {
  if (fixedMinutes !== null) {
    const s = new Date(ms + fixedMinutes * 60_000).toISOString().replace("T", " ").replace("Z", "");
    if (!withOffset) return s;
    return `${s} ${zone === "UTC" ? "UTC" : zone}`;
  }
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const s = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${p.fractionalSecond}`;
  return withOffset ? `${s} ${p.timeZoneName}` : s;
}
