namespace TableStore.Core.Format;

/// <summary>
/// One decoded column of a data file, kept typed so that merging compares keys without boxing and only the
/// rows that survive the merge are turned into boxed values. Buffers are pooled and returned on dispose.
/// </summary>
public abstract class ColumnVector : IDisposable
{
    public abstract object? Get(int row);
    public abstract void Dispose();
}
