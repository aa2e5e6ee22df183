using System.Globalization;
using System.Net;

namespace WasmMesh.Oci;

/// <summary>What a request was doing when its timeout fired.</summary>
internal enum HttpTimeoutPhase
{
    /// <summary>Its body was being sent and a write made no progress within the idle timeout.</summary>
    SendingBody,

    /// <summary>It was sent and the server sent no response headers within the response-header timeout.</summary>
    AwaitingHeaders,
}

/// <summary>
/// Sends a request with the response-header timeout every source request honours (object URLs and every registry
/// request): the server must answer with headers within that time once the request, body included, has been sent (as
/// Go's <c>http.Transport.ResponseHeaderTimeout</c>). While a body is sent, every write must make progress within the
/// idle timeout, so a large upload is bounded by its progress, not by its size.
/// </summary>
internal static class HttpTimeouts
{
    /// <summary>Sends <paramref name="request"/> and returns once the response headers are read.</summary>
    /// <param name="client">The client.</param>
    /// <param name="request">The request; its content, if any, is sent through the idle timeout.</param>
    /// <param name="headerTimeout">How long the server may take to answer with headers once the request is sent.</param>
    /// <param name="idleTimeout">How long a write of the request body may make no progress.</param>
    /// <param name="timedOut">Creates the error when a timeout fires (the phase, and the cancellation as inner exception).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The response, its body not read yet.</returns>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, TimeSpan headerTimeout, TimeSpan idleTimeout, Func<HttpTimeoutPhase, Exception, Exception> timedOut, CancellationToken cancellationToken)
    {
        using var deadline = new Deadline(headerTimeout, idleTimeout, cancellationToken);
        if (request.Content is { } content)
        {
            request.Content = new ProgressContent(content, deadline);
            deadline.StartSending();
        }
        else
        {
            deadline.Sent();
        }

        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw timedOut(deadline.Phase, ex);
        }
    }

    /// <summary>A timeout as error messages write it: <c>30s</c>, <c>1.5s</c>.</summary>
    /// <param name="timeout">The timeout.</param>
    /// <returns>The text.</returns>
    public static string Seconds(TimeSpan timeout) => string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.###}s");

    /// <summary>One request's timer: re-armed with the idle timeout on every body write, then with the header timeout.</summary>
    private sealed class Deadline(TimeSpan headerTimeout, TimeSpan idleTimeout, CancellationToken cancellationToken) : IDisposable
    {
        private readonly CancellationTokenSource _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        private int _phase = (int)HttpTimeoutPhase.SendingBody;

        public CancellationToken Token => _source.Token;

        public bool IsCancellationRequested => _source.IsCancellationRequested;

        public HttpTimeoutPhase Phase => (HttpTimeoutPhase)Volatile.Read(ref _phase);

        public void StartSending() => Arm(idleTimeout);

        /// <summary>A body write started or finished: the next one has the idle timeout again.</summary>
        public void Progress()
        {
            if (Phase == HttpTimeoutPhase.SendingBody)
            {
                Arm(idleTimeout);
            }
        }

        /// <summary>The request is sent: the header timeout starts.</summary>
        public void Sent()
        {
            Volatile.Write(ref _phase, (int)HttpTimeoutPhase.AwaitingHeaders);
            Arm(headerTimeout);
        }

        public void Dispose() => _source.Dispose();

        private void Arm(TimeSpan timeout)
        {
            try
            {
                // CancelAfter restarts the timer; an infinite timeout stops it.
                _source.CancelAfter(timeout);
            }
            catch (ObjectDisposedException)
            {
                // The response came before the body was sent (an early error answer): nothing left to time.
            }
        }
    }

    /// <summary>The request body, written through a stream that reports progress to the deadline.</summary>
    private sealed class ProgressContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly Deadline _deadline;

        public ProgressContent(HttpContent inner, Deadline deadline)
        {
            _inner = inner;
            _deadline = deadline;
            foreach (var header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await _inner.CopyToAsync(new ProgressWriteStream(stream, _deadline), context, cancellationToken).ConfigureAwait(false);
            _deadline.Sent();
        }

        protected override bool TryComputeLength(out long length)
        {
            var known = _inner.Headers.ContentLength;
            length = known ?? 0;
            return known is not null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The connection's request stream; every write re-arms the idle timeout. Not disposed: the handler owns it.</summary>
    private sealed class ProgressWriteStream(Stream inner, Deadline deadline) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            deadline.Progress();
            inner.Write(buffer, offset, count);
            deadline.Progress();
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            deadline.Progress();
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            deadline.Progress();
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
