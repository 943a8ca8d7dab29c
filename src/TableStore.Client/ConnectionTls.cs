using System.Security.Cryptography.X509Certificates;

namespace TableStore.Client;

/// <summary>
/// TLS to the gateway, for a cluster whose silos have <c>TableStore:TlsCertificate</c>: the gateway's certificate must
/// chain to <paramref name="TrustedCertificate"/> (a private CA or the silos' self-signed certificate; null: the
/// system's trusted roots) and name the host dialled. The client presents no certificate of its own.
/// </summary>
public sealed record ConnectionTls(X509Certificate2? TrustedCertificate = null);
