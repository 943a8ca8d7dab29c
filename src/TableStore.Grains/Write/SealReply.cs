namespace TableStore.Grains.Write;

[GenerateSerializer, Immutable, Alias("TableStore.SealReply")]
public sealed record SealReply([property: Id(0)] string[] Missing, [property: Id(1)] string[] Stale);
