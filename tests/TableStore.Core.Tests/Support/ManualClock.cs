namespace TableStore.Core.Tests.Support;

/// <summary>A clock tests move by hand: snapshot times and object ages follow it, nothing sleeps.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() { lock (this) return _now; }

    public void Advance(TimeSpan by) { lock (this) _now += by; }
}
