using TableStore.Core.IO;

namespace TableStore.Testing;

/// <summary>Thrown by <see cref="FaultInjectingObjectStore"/>; a stand-in for I/O errors and timeouts.</summary>
public sealed class InjectedFaultException(string message) : IOException(message);
