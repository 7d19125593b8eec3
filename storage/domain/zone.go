package domain

import "time"

// ArgentinaZoneName is the IANA name of Argentina's civil time.
const ArgentinaZoneName = "America/Argentina/Buenos_Aires"

// ArgentinaOffset is Argentina's UTC offset, in seconds: −03:00 all year
// (no daylight saving since 2009).
const ArgentinaOffset = -3 * 60 * 60

// Argentina is the zone every time is shown in, whatever the computer's
// zone: the tz database's America/Argentina/Buenos_Aires, or a fixed
// −03:00 where there is no tz database (a Windows computer without Go's
// embedded one). Times are stored in UTC; only what people read is in
// this zone.
var Argentina = argentinaZone(time.LoadLocation)

// argentinaZone loads the zone with load, falling back to a fixed −03:00.
func argentinaZone(load func(string) (*time.Location, error)) *time.Location {
	if loc, err := load(ArgentinaZoneName); err == nil {
		return loc
	}
	return time.FixedZone("-03", ArgentinaOffset)
}

// MaxClockDrift is how far the computer's clock may be from the
// registry's before the app warns.
const MaxClockDrift = 10 * time.Minute

// ClockCheck is what the app knows of the computer's clock.
type ClockCheck struct {
	// ZoneOffset is the offset, in seconds, of the computer's zone now.
	ZoneOffset int
	// Drift is the computer's clock minus the registry's, from the Date
	// header of the last sync's answer; Checked says whether there was one.
	Drift   time.Duration
	Checked bool
}

// WrongZone reports whether the computer's zone is not Argentina's
// offset: check-in times typed or shown by other programs on it would
// be off by hours.
func (c ClockCheck) WrongZone() bool { return c.ZoneOffset != ArgentinaOffset }

// Drifted reports whether the computer's clock differed from the
// registry's by more than MaxClockDrift at the last sync.
func (c ClockCheck) Drifted() bool {
	return c.Checked && (c.Drift > MaxClockDrift || c.Drift < -MaxClockDrift)
}
