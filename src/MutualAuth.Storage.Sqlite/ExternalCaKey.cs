using MutualAuth.Keys;

namespace MutualAuth.Storage.Sqlite;

/// <summary>A CA key held outside the data folder (on a PKCS#11 token): the open key, and the URI recorded instead of a key file.</summary>
/// <param name="Key">The key, open.</param>
/// <param name="Uri">Its <c>pkcs11:</c> URI with the module path; never a PIN.</param>
internal sealed record ExternalCaKey(SigningKey Key, string Uri);
