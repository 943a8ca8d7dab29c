using TableStore.Core.Table;

namespace TableStore.Abstractions;

/// <summary>Names silos and clients agree on unless configured otherwise.</summary>
public static class TableStoreDefaults
{
    /// <summary>The Orleans cluster and service id: a gateway refuses clients that name another cluster.</summary>
    public const string ClusterId = "tablestore";
}
