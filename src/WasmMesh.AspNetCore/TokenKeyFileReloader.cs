using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WasmMesh.AspNetCore;

/// <summary>
/// Loads the token key from <see cref="WasmServingProtectionOptions.TokenKeyFile"/> at start (failing the start when it
/// is unusable) and reads it again every reload interval, so a rotated Secret volume rotates the key.
/// </summary>
internal sealed class TokenKeyFileReloader(
    ModuleAccessTokens tokens,
    IOptions<WasmServingProtectionOptions> options,
    TimeProvider time,
    ILogger<TokenKeyFileReloader> logger) : BackgroundService
{
    /// <summary>The largest key file read: a key is a few dozen bytes, a larger file is a mistake.</summary>
    internal const int MaxKeyFileBytes = 4096;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value is { RequireToken: true, TokenKeyFile: { } file })
        {
            // The first load fails the start: serving without a key would answer 404 to every Envoy.
            tokens.SetKey(await ReadKeyAsync(file, cancellationToken).ConfigureAwait(false));
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value is not { RequireToken: true, TokenKeyFile: { } file })
        {
            return;
        }

        var interval = options.Value.KeyReloadInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await ReloadAsync(file, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the key file once; a changed key rotates, an unreadable file keeps the current key.</summary>
    internal async Task ReloadAsync(string file, CancellationToken cancellationToken)
    {
        try
        {
            if (tokens.SetKey(await ReadKeyAsync(file, cancellationToken).ConfigureAwait(false)))
            {
                Log.TokenKeyRotated(logger, file, options.Value.PreviousKeyValidity);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            Log.TokenKeyReloadFailed(logger, file, ex.Message);
        }
    }

    internal static async Task<byte[]> ReadKeyAsync(string file, CancellationToken cancellationToken)
    {
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxKeyFileBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            if (total > MaxKeyFileBytes)
            {
                throw new InvalidDataException($"token key file {file} is larger than {MaxKeyFileBytes} bytes; it should hold one key (e.g. 'openssl rand -base64 48')");
            }

            // A key written with echo or an editor ends with a newline that is not part of it.
            while (total > 0 && buffer[total - 1] is (byte)'\n' or (byte)'\r')
            {
                total--;
            }

            if (total < WasmServingProtectionOptions.MinimumKeyBytes)
            {
                throw new InvalidDataException($"token key file {file} holds {total} bytes; a key needs at least {WasmServingProtectionOptions.MinimumKeyBytes} (make one with 'openssl rand -base64 48')");
            }

            return buffer[..total];
        }
    }
}
