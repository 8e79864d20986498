package io.jepoll.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * How every Netty peer runs, so they differ only in their pipelines: one event loop (native epoll, native io_uring, or NIO), the
 * bench's backlog, bound on {@link Peers#HOST}, the ready line printed, then serving until the process is killed.
 */
final class NettyServer {
    private NettyServer() {}

    /**
     * @param name     what the ready line calls this server
     * @param nio      NIO instead of native epoll
     * @param pipeline adds the handlers of each accepted connection
     */
    static void run(String name, int port, boolean nio, Consumer<ChannelPipeline> pipeline) throws InterruptedException {
        run(name, port, nio ? "nio" : "epoll", pipeline);
    }

    /**
     * @param name      what the ready line calls this server
     * @param transport epoll, io_uring or nio
     * @param pipeline  adds the handlers of each accepted connection
     */
    static void run(String name, int port, String transport, Consumer<ChannelPipeline> pipeline) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, switch (transport) {
            case "nio" -> NioIoHandler.newFactory();
            case "io_uring" -> IoUringIoHandler.newFactory();
            default -> EpollIoHandler.newFactory();
        });
        Class<? extends io.netty.channel.ServerChannel> channel = switch (transport) {
            case "nio" -> NioServerSocketChannel.class;
            case "io_uring" -> IoUringServerSocketChannel.class;
            default -> EpollServerSocketChannel.class;
        };
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, Peers.BACKLOG)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true) // Netty's default too: said here, as jepoll does it
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) { pipeline.accept(ch.pipeline()); }
                    })
                    .bind(new InetSocketAddress(Peers.HOST, port)).sync().channel();
            Peers.ready(name, port);
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
