using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace MutualAuth.Keys.Pkcs11;

/// <summary>Loads each PKCS#11 module once per process and keeps it initialised (tokens' login state lives in it).</summary>
internal static class Pkcs11Modules
{
    /// <summary>SoftHSM2's module on Debian, the stand-in card of the tests.</summary>
    public const string SoftHsm = "/usr/lib/softhsm/libsofthsm2.so";

    /// <summary>p11-kit's proxy: every module registered with p11-kit (OpenSC for smart-card readers, SoftHSM2…).</summary>
    public const string P11KitProxy = "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so";

    private static readonly ConcurrentDictionary<string, Lazy<IPkcs11Library>> Libraries = new(StringComparer.Ordinal);
    private static int _resolverSet;

    /// <summary>The module used when none is named: p11-kit's proxy when installed (as OpenSSL's engine does), else SoftHSM2.</summary>
    public static string Default => File.Exists(P11KitProxy) ? P11KitProxy : SoftHsm;

    /// <summary>The factories Pkcs11Interop builds objects with.</summary>
    public static Pkcs11InteropFactories Factories { get; } = new();

    /// <summary>The loaded, initialised module at <paramref name="path"/>; never finalised (that would log every token out).</summary>
    /// <exception cref="TokenException">The module cannot be loaded.</exception>
    public static IPkcs11Library Get(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new TokenException(TokenError.ModuleUnavailable, $"the PKCS#11 module '{path}' does not exist (SoftHSM2: apt-get install softhsm2; smart cards: apt-get install opensc).");
        }

        SetResolver();
        var lazy = Libraries.GetOrAdd(Path.GetFullPath(path), full => new Lazy<IPkcs11Library>(() => Factories.Pkcs11LibraryFactory.LoadPkcs11Library(Factories, full, AppType.MultiThreaded)));
        try
        {
            return lazy.Value;
        }
        catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or DllNotFoundException or EntryPointNotFoundException)
        {
            Libraries.TryRemove(Path.GetFullPath(path), out _);
            throw new TokenException(TokenError.ModuleUnavailable, $"cannot load the PKCS#11 module '{path}': {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            // Pkcs11Interop marshals structures by reflection, which the native AOT build of mutualauth cannot do.
            Libraries.TryRemove(Path.GetFullPath(path), out _);
            throw new TokenException(TokenError.ModuleUnavailable, "PKCS#11 tokens need the JIT build of mutualauth (dotnet mutualauth.dll); the native AOT build cannot load Pkcs11Interop.", e);
        }
    }

    // Pkcs11Interop 5.3.0 imports "libdl", which Debian 12 ships only as libdl.so.2 (shared/NOTES.md).
    private static void SetResolver()
    {
        if (Interlocked.Exchange(ref _resolverSet, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(Pkcs11InteropFactories).Assembly, Resolve);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "libdl" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libdl.so.2", out var handle) ? handle : IntPtr.Zero;
}
