using System.Collections.Concurrent;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MutualAuth.Keys.Pkcs11;

/// <summary>
/// One token in one module: a thread-safe pool of sessions, and the login they share (PKCS#11 login state belongs to
/// the application, not the session). One instance per token per process.
/// </summary>
internal sealed class Pkcs11Token
{
    private static readonly ConcurrentDictionary<(string Module, string Serial), Pkcs11Token> Known = new();

    private readonly ConcurrentBag<ISession> _idle = [];
    private readonly Lock _loginGate = new();
    private ISession? _loginSession;

    private Pkcs11Token(string module, ISlot slot, ITokenInfo info)
    {
        Module = module;
        Slot = slot;
        Label = info.Label.TrimEnd();
        Serial = info.SerialNumber.TrimEnd();
        Model = info.Model;
        Manufacturer = info.ManufacturerId;
    }

    /// <summary>The module path.</summary>
    public string Module { get; }

    /// <summary>The slot the token is in (slot ids change when tokens are added: find tokens by label).</summary>
    public ISlot Slot { get; }

    /// <summary>The token label.</summary>
    public string Label { get; }

    /// <summary>The token serial number.</summary>
    public string Serial { get; }

    /// <summary>The token model.</summary>
    public string Model { get; }

    /// <summary>The token manufacturer.</summary>
    public string Manufacturer { get; }

    /// <summary>Every token present in <paramref name="module"/>.</summary>
    /// <exception cref="TokenException">The module cannot be loaded.</exception>
    public static IReadOnlyList<Pkcs11Token> All(string module)
    {
        var library = Pkcs11Modules.Get(module);
        try
        {
            // An uninitialised token (SoftHSM2 always offers a free slot) has no label, keys or PIN yet: not listed.
            return [.. library.GetSlotList(SlotsType.WithTokenPresent)
                .Select(slot => (Slot: slot, Info: slot.GetTokenInfo()))
                .Where(s => s.Info.TokenFlags.TokenInitialized)
                .Select(s => Known.GetOrAdd((module, s.Info.SerialNumber), _ => new Pkcs11Token(module, s.Slot, s.Info)))];
        }
        catch (Pkcs11Exception e)
        {
            throw new TokenException(TokenError.Failed, $"the PKCS#11 module '{module}' cannot list its tokens: {e.RV}", e);
        }
    }

    /// <summary>The one token matching <paramref name="uri"/>'s token attributes (label, serial, manufacturer, model).</summary>
    /// <exception cref="TokenException">No such token, or several.</exception>
    public static Pkcs11Token Find(string module, Pkcs11Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var matching = All(module).Where(t =>
            (uri.Token is null || t.Label == uri.Token)
            && (uri.Serial is null || t.Serial == uri.Serial)
            && (uri.Manufacturer is null || t.Manufacturer == uri.Manufacturer)
            && (uri.Model is null || t.Model == uri.Model)).ToList();
        return matching.Count switch
        {
            1 => matching[0],
            0 => throw new TokenException(TokenError.TokenAbsent, $"no token matching {uri} is present in '{module}' (is the card inserted? 'mutualauth card list' shows the tokens)."),
            _ => throw new TokenException(TokenError.ObjectAmbiguous, $"{matching.Count} tokens match {uri}: add serial=… to the URI."),
        };
    }

    /// <summary>Whether this token needs a login before its private objects can be used.</summary>
    public bool LoginRequired => Slot.GetTokenInfo().TokenFlags.LoginRequired;

    /// <summary>
    /// Logs the user in with <paramref name="pin"/> (UTF-8), once: a token already logged in succeeds without using
    /// the PIN. A wrong PIN is reported, never retried (each attempt counts towards locking the card).
    /// </summary>
    /// <exception cref="TokenException">PIN incorrect, PIN locked, or another token failure.</exception>
    public void Login(ReadOnlySpan<byte> pin)
    {
        lock (_loginGate)
        {
            if (_loginSession is not null)
            {
                return;
            }

            var session = OpenSession();
            try
            {
                if (session.GetSessionInfo().State is not (CKS.CKS_RO_USER_FUNCTIONS or CKS.CKS_RW_USER_FUNCTIONS))
                {
                    if (Slot.GetTokenInfo().TokenFlags.UserPinLocked)
                    {
                        throw new TokenException(TokenError.PinLocked, $"the PIN of token '{Label}' is locked (too many wrong PINs); unlock it with the SO PIN.");
                    }

                    session.Login(CKU.CKU_USER, pin.ToArray());
                }

                // This session stays open: the login lasts as long as one session of the application does.
                _loginSession = session;
            }
            catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
            {
                _loginSession = session;
            }
            catch (Pkcs11Exception e)
            {
                session.Dispose();
                throw e.RV switch
                {
                    CKR.CKR_PIN_INCORRECT => new TokenException(TokenError.PinIncorrect, $"PIN incorrect for token '{Label}' (not retried: each wrong PIN counts towards locking the card).", e),
                    CKR.CKR_PIN_LOCKED => new TokenException(TokenError.PinLocked, $"the PIN of token '{Label}' is locked (too many wrong PINs); unlock it with the SO PIN.", e),
                    CKR.CKR_PIN_LEN_RANGE => new TokenException(TokenError.PinIncorrect, $"PIN incorrect for token '{Label}': its length is out of the token's range.", e),
                    _ => new TokenException(TokenError.Failed, $"login to token '{Label}' failed: {e.RV}.", e),
                };
            }
            catch
            {
                session.Dispose();
                throw;
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> with a session of the pool (opened when none is idle).</summary>
    /// <exception cref="TokenException">A PKCS#11 failure.</exception>
    public T Use<T>(Func<ISession, T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (!_idle.TryTake(out var session))
        {
            session = OpenSession();
        }

        try
        {
            return action(session);
        }
        catch (Pkcs11Exception e)
        {
            throw new TokenException(TokenError.Failed, $"token '{Label}': {e.Method} failed with {e.RV}.", e);
        }
        finally
        {
            _idle.Add(session);
        }
    }

    private ISession OpenSession()
    {
        try
        {
            return Slot.OpenSession(SessionType.ReadWrite);
        }
        catch (Pkcs11Exception e)
        {
            throw new TokenException(e.RV == CKR.CKR_TOKEN_NOT_PRESENT ? TokenError.TokenAbsent : TokenError.Failed, $"cannot open a session with token '{Label}': {e.RV}.", e);
        }
    }
}
