namespace TableStore.Core.IO;

/// <summary>A ranged read of an object failed in the store (not in the bytes read): retry the read later.</summary>
public sealed class RangeReadException(string message, Exception inner) : IOException(message, inner);
