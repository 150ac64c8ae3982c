package io.starling.controlplane.catalog;

import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A request body as a blocking {@link InputStream} for one uploading worker thread, with real
 * flow control: the event loop queues up to a high-water mark of bytes, the connection is paused
 * above it and resumed only below a low-water mark. The framework's own stream hands over one
 * network chunk at a time under a monitor, which capped uploads at about 110 MB/s here.
 */
final class RequestBodyStream extends InputStream {

    private static final Buffer END = Buffer.buffer(0);

    private final HttpServerRequest request;
    private final Context context;
    private final long highWater;
    private final long lowWater;
    private final long timeoutNanos;
    private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
    private long queued;
    private boolean paused;
    private Throwable failure;
    private Buffer current;
    private int position;

    RequestBodyStream(HttpServerRequest request, long highWater, long timeoutMillis) {
        this.request = request;
        // The connection's event loop: the request's handlers must be set and resumed there.
        this.context = ((HttpServerRequestInternal) request).context();
        this.highWater = highWater;
        this.lowWater = highWater / 4;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        context.runOnContext(v -> {
            // curl -T and most clients send "Expect: 100-continue" with a large body and wait (curl:
            // one second) for the go-ahead. This stream exists only once the upload's checks passed
            // (role, draft, size limit), so now is the moment to ask for the body; a refused upload
            // is answered before any of it is sent.
            if (request.version() != HttpVersion.HTTP_1_0
                    && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
                request.response().writeContinue();
            }
            request.handler(this::arrived);
            request.endHandler(v2 -> arrived(END));
            request.exceptionHandler(this::failed);
            request.resume();
        });
    }

    private synchronized void arrived(Buffer b) {
        queue.add(b);
        queued += b.length();
        if (queued > highWater && !paused && b != END) {
            paused = true;
            request.pause();
        }
        notifyAll();
    }

    private synchronized void failed(Throwable t) {
        failure = t;
        notifyAll();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (current == null || position == current.length()) {
            current = take();
            position = 0;
            if (current == END) {
                return -1;
            }
        }
        int n = Math.min(len, current.length() - position);
        ByteBuf buf = current.getByteBuf();
        buf.getBytes(buf.readerIndex() + position, b, off, n);
        position += n;
        return n;
    }

    private synchronized Buffer take() throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (queue.isEmpty()) {
            if (failure != null) {
                throw new IOException("the upload broke off: " + failure.getMessage(), failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("no data for " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("upload interrupted");
            }
        }
        Buffer next = queue.poll();
        if (next == END && queue.isEmpty() && failure != null) {
            throw new IOException("the upload broke off: " + failure.getMessage(), failure);
        }
        queued -= next.length();
        if (paused && queued < lowWater) {
            paused = false;
            context.runOnContext(v -> request.resume());
        }
        return next;
    }
}
