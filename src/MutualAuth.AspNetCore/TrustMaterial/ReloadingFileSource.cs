using Microsoft.Extensions.Logging;

namespace MutualAuth.AspNetCore.TrustMaterial;

/// <summary>
/// A value built from files and rebuilt when one changes (checked at most once per <see cref="CheckInterval"/>) or on
/// <see cref="Reload"/>; a failed rebuild keeps the previous value.
/// </summary>
/// <typeparam name="T">The value (a trust policy, a server certificate…).</typeparam>
internal sealed class ReloadingFileSource<T>
    where T : class
{
    /// <summary>How often file timestamps are checked.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly Func<IReadOnlyList<string>> _files;
    private readonly Func<T?, T> _load;
    private readonly Func<T, string> _describe;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly Lock _lock = new();
    private T _current;
    private string _fingerprint;
    private DateTimeOffset _nextCheck;

    /// <summary>Builds the value once.</summary>
    /// <param name="files">The files the value is built from.</param>
    /// <param name="load">Builds the value; receives the previous one (null the first time); throws <see cref="TrustMaterialException"/> on bad input.</param>
    /// <param name="describe">A line for the log after a reload.</param>
    /// <param name="timeProvider">Clock for the check interval.</param>
    /// <param name="logger">Log for reloads, optional.</param>
    /// <exception cref="TrustMaterialException">The first build failed.</exception>
    public ReloadingFileSource(Func<IReadOnlyList<string>> files, Func<T?, T> load, Func<T, string> describe, TimeProvider timeProvider, ILogger? logger = null)
    {
        _files = files ?? throw new ArgumentNullException(nameof(files));
        _load = load ?? throw new ArgumentNullException(nameof(load));
        _describe = describe ?? throw new ArgumentNullException(nameof(describe));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger;
        _fingerprint = Fingerprint();
        _current = _load(null);
        _nextCheck = _time.GetUtcNow() + CheckInterval;
    }

    /// <summary>The current value, rebuilt first if a file changed since the last check.</summary>
    public T Current()
    {
        if (_time.GetUtcNow() < _nextCheck)
        {
            return _current;
        }

        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now >= _nextCheck)
            {
                _nextCheck = now + CheckInterval;
                var fingerprint = Fingerprint();
                if (fingerprint != _fingerprint)
                {
                    Rebuild(fingerprint);
                }
            }

            return _current;
        }
    }

    /// <summary>Rebuilds now, changed or not.</summary>
    /// <returns>Whether the rebuild succeeded (otherwise the previous value stays).</returns>
    public bool Reload()
    {
        lock (_lock)
        {
            _nextCheck = _time.GetUtcNow() + CheckInterval;
            return Rebuild(Fingerprint());
        }
    }

    private bool Rebuild(string fingerprint)
    {
        try
        {
            _current = _load(_current);
            _fingerprint = fingerprint;
            if (_logger is not null)
            {
                Log.MaterialReloaded(_logger, _describe(_current));
            }

            return true;
        }
        catch (TrustMaterialException e)
        {
            if (_logger is not null)
            {
                Log.MaterialReloadFailed(_logger, e.Message);
            }

            return false;
        }
    }

    private string Fingerprint() => string.Join("|", _files().Select(path =>
    {
        var info = new FileInfo(path);
        return info.Exists ? $"{info.LastWriteTimeUtc.Ticks}:{info.Length}" : "missing";
    }));
}
