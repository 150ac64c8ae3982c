package io.starling.controlplane.catalog;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Takes an upload's body off an HTTP/1.1 connection as the network buffers Netty decoded, before
 * Vert.x sees them. Vert.x copies every pooled network buffer into a new heap buffer before it
 * hands it on ({@code VertxHandler.safeBuffer}): for a 1 GB upload a gigabyte allocated, zeroed,
 * copied and collected again, about a tenth of the control plane's CPU per upload on the
 * benchmark machine. Here the buffers go to the {@link RequestBodyStream} as they are and are
 * released once read; Vert.x is told the body ended, with an empty last chunk, so its request and
 * response bookkeeping stays as it would be.
 *
 * <p>Sits in the connection's pipeline just before Vert.x's own handler while one upload
 * streams in, and removes itself at the body's end (or when the stream is closed). Runs on the
 * connection's event loop only.
 */
final class BodyIntake extends ChannelInboundHandlerAdapter {

    private static final String NAME = "starling-body-intake";
    /** Vert.x's handler in an HTTP/1.x server pipeline (Vert.x 4.5 {@code HttpServerWorker}). */
    private static final String VERTX_HANDLER = "handler";

    private final RequestBodyStream stream;
    private final Channel channel;
    private boolean removed;

    private BodyIntake(RequestBodyStream stream, Channel channel) {
        this.stream = stream;
        this.channel = channel;
    }

    /**
     * Puts an intake in front of Vert.x for this request's body, if the connection is plain
     * HTTP/1.x as Vert.x builds it; otherwise (HTTP/2, another Vert.x) returns null and the body
     * comes through Vert.x's own handlers. Call on the connection's event loop.
     */
    static BodyIntake install(HttpServerRequest request, RequestBodyStream stream) {
        if (request.version() == HttpVersion.HTTP_2) {
            return null;
        }
        HttpConnection connection = request.connection();
        if (!(connection instanceof ConnectionBase base)) {
            return null;
        }
        Channel channel = base.channel();
        ChannelPipeline pipeline = channel.pipeline();
        if (pipeline.get(VERTX_HANDLER) == null || pipeline.get(NAME) != null || !channel.eventLoop().inEventLoop()) {
            return null;
        }
        BodyIntake intake = new BodyIntake(stream, channel);
        pipeline.addBefore(VERTX_HANDLER, NAME, intake);
        return intake;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpContent content) || !content.decoderResult().isSuccess()) {
            // Requests that follow on the connection, and malformed chunks: Vert.x answers those.
            ctx.fireChannelRead(msg);
            return;
        }
        boolean last = msg instanceof LastHttpContent;
        stream.fromNetwork(content.content(), last); // the stream owns the buffer now
        if (last) {
            remove();
            ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
        }
    }

    /** Stops reading from the network until {@link #resumeReading()}. */
    void pauseReading() {
        channel.config().setAutoRead(false);
    }

    void resumeReading() {
        channel.config().setAutoRead(true);
    }

    /** From here on the body, if any is left, goes to Vert.x again. Event loop only. */
    void remove() {
        if (!removed) {
            removed = true;
            if (channel.pipeline().context(this) != null) { // a closed channel empties its pipeline itself
                channel.pipeline().remove(this);
            }
        }
    }
}
