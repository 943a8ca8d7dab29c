namespace TableStore.Core.Commit.GroupCommit;

/// <summary>
/// A bucket writer's answer to a seal: writes whose rows it does not hold (<see cref="Missing"/>, e.g. it restarted)
/// and writes routed with another schema than the batch's (<see cref="Stale"/>: their rows may be in the wrong bucket).
/// </summary>
public sealed record BucketSeal(IReadOnlyList<string> Missing, IReadOnlyList<string> Stale)
{
    public static readonly BucketSeal AllHeld = new([], []);
}
