namespace TableStore.Grains.Table;

/// <summary>What the catalog tells a table grain (same activation as <see cref="Abstractions.ITableGrain"/>).</summary>
[Alias("TableStore.ITableAdminGrain")]
public interface ITableAdminGrain : IGrainWithStringKey
{
    /// <summary>The table was dropped: fail waiting writes with <paramref name="reason"/> and deactivate.</summary>
    [Alias("Close")] Task CloseAsync(string reason);
}
