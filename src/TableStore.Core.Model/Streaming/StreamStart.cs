using System.Globalization;

namespace TableStore.Core.Streaming;

/// <summary>
/// Where a streaming read starts: <c>latest</c> (only changes committed from now on), <c>latest-full</c> (the latest
/// snapshot whole, then its successors' changes), <c>earliest</c> (the earliest retained snapshot whole, then
/// changes), <c>snapshot:N</c> (the changes of N itself and on), <c>timestamp:T</c> (the changes of the first snapshot
/// committed at or after T, and on).
/// </summary>
public sealed record StreamStart(StreamStartMode Mode, long? SnapshotId = null, DateTimeOffset? Time = null)
{
    public static readonly StreamStart Latest = new(StreamStartMode.Latest);

    public static StreamStart Parse(string text)
    {
        var t = text.Trim();
        switch (t.ToLowerInvariant())
        {
            case "latest": return Latest;
            case "latest-full": return new(StreamStartMode.LatestFull);
            case "earliest": return new(StreamStartMode.Earliest);
        }
        if (t.StartsWith("snapshot:", StringComparison.OrdinalIgnoreCase))
        {
            if (long.TryParse(t["snapshot:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1)
                return new(StreamStartMode.FromSnapshot, SnapshotId: id);
            throw new InvalidInputException($"Invalid start '{text}': snapshot:N needs a snapshot id of 1 or more.");
        }
        if (t.StartsWith("timestamp:", StringComparison.OrdinalIgnoreCase))
        {
            var value = t["timestamp:".Length..].Trim();
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var millis))
                return new(StreamStartMode.FromTimestamp, Time: DateTimeOffset.FromUnixTimeMilliseconds(millis));
            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                return new(StreamStartMode.FromTimestamp, Time: time);
            throw new InvalidInputException($"Invalid start '{text}': timestamp:T needs epoch milliseconds or a date-time such as 2026-11-24T10:00:00Z.");
        }
        throw new InvalidInputException($"Invalid start '{text}': use latest, latest-full, earliest, snapshot:N or timestamp:T.");
    }

    public override string ToString() => Mode switch
    {
        StreamStartMode.Latest => "latest",
        StreamStartMode.LatestFull => "latest-full",
        StreamStartMode.Earliest => "earliest",
        StreamStartMode.FromSnapshot => $"snapshot:{SnapshotId}",
        _ => $"timestamp:{Time:O}",
    };
}
