using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TableStore.Abstractions.Security;

/// <summary>
/// Which TLS certificates a silo or a client accepts from the other end: chained to the system's trusted roots, or
/// — for a private CA or a self-signed certificate — to the one certificate named by <c>TableStore:TlsTrustedCertificate</c>
/// (silos) or <c>$TABLESTORE_TLS_CA</c> (the CLI). Shared by both sides, so they judge a certificate the same way.
/// </summary>
/// <param name="checkName">The certificate must name the host dialled (a client reaching a gateway).</param>
/// <param name="allowMissing">The other end may present no certificate (a silo accepting clients, which have none).</param>
public sealed class CertificateTrust(X509Certificate2? trustedRoot, bool checkName, bool allowMissing = false)
{
    /// <summary>Reads a certificate to trust: PEM or DER, a CA or the self-signed certificate itself.</summary>
    public static X509Certificate2 LoadTrusted(string path)
    {
        try { return X509CertificateLoader.LoadCertificateFromFile(path); }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new Core.InvalidInputException($"Cannot read the trusted certificate {path}: {e.Message} (expected a PEM or DER certificate).");
        }
    }

    /// <summary>
    /// The remote certificate is valid: it chains to the trusted root (or the system's), it is within its dates, and,
    /// when names are checked, it names the host connected to (a silo reaching another by IP address does not check).
    /// </summary>
    public bool Accept(X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null) return allowMissing;
        if (checkName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
        if (trustedRoot is null) return !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors);
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(trustedRoot);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(certificate);
    }
}
