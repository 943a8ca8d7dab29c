using System.Runtime.CompilerServices;

namespace TableStore.Core.IO;

/// <summary>The kinds of object-store requests, as cloud stores bill them.</summary>
public enum StoreRequest { Get, GetRange, Put, PutIfAbsent, List, Delete, Exists }
