using MutualAuth.Storage;

namespace MutualAuth.Testing.WebAuthn;

/// <summary>In-memory WebAuthn stores for tests of the ceremonies (the SQLite ones have their own tests).</summary>
internal sealed class MemoryWebAuthnStores : IWebAuthnCredentialStore, IWebAuthnChallengeStore
{
    private readonly List<WebAuthnCredentialRecord> _credentials = [];
    private readonly Dictionary<string, (string Purpose, string Payload, DateTimeOffset Expires)> _challenges = [];

    public IReadOnlyList<WebAuthnCredentialRecord> All => _credentials;

    public Task<bool> AddAsync(WebAuthnCredentialRecord credential, CancellationToken cancellationToken = default)
    {
        if (_credentials.Any(c => c.CredentialId.AsSpan().SequenceEqual(credential.CredentialId)))
        {
            return Task.FromResult(false);
        }

        _credentials.Add(credential);
        return Task.FromResult(true);
    }

    public Task<WebAuthnCredentialRecord?> FindAsync(byte[] credentialId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_credentials.FirstOrDefault(c => c.CredentialId.AsSpan().SequenceEqual(credentialId)));

    public Task<IReadOnlyList<WebAuthnCredentialRecord>> ListAsync(string userName, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<WebAuthnCredentialRecord>>([.. _credentials.Where(c => c.UserName == userName)]);

    public Task<bool> RecordUseAsync(byte[] credentialId, uint previousSignCount, uint signCount, bool backedUp, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var index = _credentials.FindIndex(c => c.CredentialId.AsSpan().SequenceEqual(credentialId) && c.SignCount == previousSignCount);
        if (index < 0)
        {
            return Task.FromResult(false);
        }

        _credentials[index] = _credentials[index] with { SignCount = signCount, BackedUp = backedUp, LastUsedAt = at };
        return Task.FromResult(true);
    }

    public Task<int> RemoveAsync(string userName, byte[]? credentialId = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_credentials.RemoveAll(c => c.UserName == userName && (credentialId is null || c.CredentialId.AsSpan().SequenceEqual(credentialId))));

    public Task AddAsync(string id, string purpose, string payload, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        _challenges.Add(id, (purpose, payload, expires));
        return Task.CompletedTask;
    }

    public Task<string?> TakeAsync(string id, string purpose, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Task.FromResult(_challenges.Remove(id, out var found) && found.Purpose == purpose && found.Expires > now ? found.Payload : null);
}
