namespace TableStore.Core.Consumers;

/// <summary>A streaming reader's recorded progress: the next snapshot it will read.</summary>
public sealed record Consumer(string Id, long NextSnapshot);
