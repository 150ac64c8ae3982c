package io.starling.controlplane.catalog;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
 *
 * <p>On HTTP/1.x the bytes come as the network buffers themselves ({@link BodyIntake}), and
 * reading them is the only copy of the body the control plane makes; what Vert.x already held
 * when the stream started, and bodies on other connections, come through Vert.x's request
 * handlers. Close the stream when done with it: network buffers still queued go back to their
 * pool, and whatever is left of the body is read and dropped.
 */
final class RequestBodyStream extends InputStream {

    private static final ByteBuf END = Unpooled.unreleasableBuffer(Unpooled.EMPTY_BUFFER.duplicate());

    private final HttpServerRequest request;
    private final Context context;
    private final long highWater;
    private final long lowWater;
    private final long timeoutNanos;

    // Shared by the event loop and the reading thread, guarded by this.
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private long queued;
    private boolean paused;
    private Throwable failure;
    private boolean closed;

    // Event loop only.
    private BodyIntake intake;
    /** Network buffers that came before Vert.x handed over what it had queued; null once it did. */
    private ArrayDeque<ByteBuf> held;
    /** The intake saw the body's last chunk. */
    private boolean networkEnded;

    // Reading thread only.
    private ByteBuf current;
    private boolean atEnd;

    RequestBodyStream(HttpServerRequest request, long highWater, long timeoutMillis) {
        this.request = request;
        // The connection's event loop: the request's handlers must be set and resumed there.
        this.context = ((HttpServerRequestInternal) request).context();
        this.highWater = highWater;
        this.lowWater = highWater / 4;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        context.runOnContext(v -> start());
    }

    private void start() {
        // curl -T and most clients send "Expect: 100-continue" with a large body and wait (curl:
        // one second) for the go-ahead. This stream exists only once the upload's checks passed
        // (role, draft, size limit), so now is the moment to ask for the body; a refused upload
        // is answered before any of it is sent.
        if (request.version() != HttpVersion.HTTP_1_0
                && "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            request.response().writeContinue();
        }
        request.handler(this::fromVertx);
        request.endHandler(v -> vertxEnded());
        request.exceptionHandler(this::failed);
        if (isClosed()) {
            request.resume(); // nobody reads any more: let the body flow into the handlers, which drop it
            return;
        }
        intake = BodyIntake.install(request, this);
        if (intake != null) {
            held = new ArrayDeque<>();
        }
        request.resume();
        if (intake != null) {
            // resume() has Vert.x deliver what it queued before the intake was in place, in a task
            // of its own on this event loop; this one runs after it, so the order of bytes holds.
            context.runOnContext(v -> handOver());
        }
    }

    /** From the {@link BodyIntake}, on the event loop: the stream owns {@code data}. */
    void fromNetwork(ByteBuf data, boolean last) {
        networkEnded |= last;
        if (held != null) {
            held.add(data);
            return;
        }
        enqueue(data);
        if (last) {
            enqueue(END);
        }
    }

    private void fromVertx(Buffer b) {
        // Vert.x's own heap copy: nothing to give back to a pool.
        enqueue(Unpooled.unreleasableBuffer(b.getByteBuf()));
    }

    private void vertxEnded() {
        // After the intake saw the last chunk, Vert.x only hears of an empty one.
        if (!networkEnded) {
            enqueue(END);
        }
    }

    private void handOver() {
        ArrayDeque<ByteBuf> early = held;
        held = null;
        for (ByteBuf b; (b = early.poll()) != null; ) {
            enqueue(b);
        }
        if (networkEnded) { // while they were held: nothing comes after the hand-over
            enqueue(END);
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private synchronized void enqueue(ByteBuf b) {
        if (closed) {
            b.release();
            return;
        }
        queue.add(b);
        queued += b.readableBytes();
        if (queued > highWater && !paused && b != END) {
            paused = true;
            pauseReading();
        }
        notifyAll();
    }

    private void pauseReading() {
        if (intake != null) {
            intake.pauseReading();
        } else {
            request.pause();
        }
    }

    private void resumeReading() {
        if (intake != null) {
            intake.resumeReading();
        } else {
            request.resume();
        }
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
        while (current == null || !current.isReadable()) {
            if (atEnd) {
                return -1;
            }
            if (current != null) {
                current.release();
                current = null;
            }
            ByteBuf next = take();
            if (next == END) {
                atEnd = true;
                return -1;
            }
            current = next;
        }
        int n = Math.min(len, current.readableBytes());
        current.readBytes(b, off, n);
        return n;
    }

    private synchronized ByteBuf take() throws IOException {
        if (closed) {
            throw new IOException("the upload's stream is closed");
        }
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
        ByteBuf next = queue.poll();
        if (next == END && queue.isEmpty() && failure != null) {
            throw new IOException("the upload broke off: " + failure.getMessage(), failure);
        }
        queued -= next.readableBytes();
        if (paused && queued < lowWater) {
            paused = false;
            context.runOnContext(v -> resumeReading());
        }
        return next;
    }

    /** Gives queued network buffers back; the rest of the body, if any, is read and dropped. */
    @Override
    public void close() {
        if (current != null) {
            current.release();
            current = null;
        }
        boolean wasPaused;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            wasPaused = paused;
            paused = false;
            for (ByteBuf b; (b = queue.poll()) != null; ) {
                b.release();
            }
            queued = 0;
        }
        context.runOnContext(v -> {
            if (intake != null) {
                intake.remove();
            }
            if (held != null) {
                held.forEach(ByteBuf::release);
                held.clear();
            }
            if (wasPaused) {
                resumeReading();
            }
        });
    }
}
