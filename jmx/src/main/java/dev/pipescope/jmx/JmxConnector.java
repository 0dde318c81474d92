package dev.pipescope.jmx;

import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import javax.rmi.ssl.SslRMIServerSocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A remote JMX connector over RMI with the registry and the connector server on one port, so one firewall
 * rule or one SSH tunnel reaches it. Bound to loopback by default; any other address requires
 * authentication (a password file), and TLS can be turned on. Local attach (JConsole's process list,
 * VisualVM) needs none of this: it works through the JDK's attach mechanism.
 */
public final class JmxConnector implements AutoCloseable {
    /** How to open the connector. */
    public static final class Options {
        private String host = "127.0.0.1";
        private int port;
        private Path passwordFile;
        private Path accessFile;
        private boolean ssl;
        private boolean sslNeedClientAuth;

        /**
         * @param address the address to bind (a name or literal); loopback by default.
         * @return this.
         */
        public Options host(final String address) {
            host = Objects.requireNonNull(address, "host");
            return this;
        }

        /**
         * @param newPort the port of both the RMI registry and the connector server (0 picks a free one).
         * @return this.
         */
        public Options port(final int newPort) {
            if (newPort < 0 || newPort > 65535) {
                throw new IllegalArgumentException("JMX port must be in [0, 65535], was " + newPort);
            }
            port = newPort;
            return this;
        }

        /**
         * @param file JMX password file ({@code role password} per line, readable by the owner only).
         * @return this.
         */
        public Options passwordFile(final Path file) {
            passwordFile = file;
            return this;
        }

        /**
         * @param file JMX access file ({@code role readonly|readwrite} per line); without one every
         *             authenticated role may read and write.
         * @return this.
         */
        public Options accessFile(final Path file) {
            accessFile = file;
            return this;
        }

        /**
         * @param enabled use TLS (key store from the standard {@code javax.net.ssl.*} properties).
         * @return this.
         */
        public Options ssl(final boolean enabled) {
            ssl = enabled;
            return this;
        }

        /**
         * @param enabled require clients to present a certificate.
         * @return this.
         */
        public Options sslNeedClientAuth(final boolean enabled) {
            sslNeedClientAuth = enabled;
            return this;
        }
    }

    private final JMXConnectorServer server;
    private final Registry registry;
    private final JMXServiceURL address;

    private JmxConnector(final JMXConnectorServer server, final Registry registry, final JMXServiceURL address) {
        this.server = server;
        this.registry = registry;
        this.address = address;
    }

    /**
     * Checks that the options are safe: a non-loopback address needs a password file.
     *
     * @param options the options.
     * @throws IllegalArgumentException saying why they are refused.
     */
    public static void checkSafe(final Options options) {
        final InetAddress bind = resolve(options.host);
        if (!bind.isLoopbackAddress() && options.passwordFile == null) {
            throw new IllegalArgumentException("refusing to expose JMX on " + options.host
                + " without authentication: anyone who reaches that address could change the pipeline."
                + " Give --jmx-password-file FILE (and preferably --jmx-ssl), or bind to 127.0.0.1 and use an SSH tunnel");
        }
        if (options.passwordFile != null && !Files.isReadable(options.passwordFile)) {
            throw new IllegalArgumentException("JMX password file " + options.passwordFile + " is not readable");
        }
        if (options.accessFile != null && !Files.isReadable(options.accessFile)) {
            throw new IllegalArgumentException("JMX access file " + options.accessFile + " is not readable");
        }
    }

    /**
     * Opens the connector.
     *
     * @param mbeanServer the MBeans to serve.
     * @param options     where and how.
     * @return the running connector.
     * @throws IOException when the port cannot be bound.
     * @throws IllegalArgumentException when the options are unsafe ({@link #checkSafe}).
     */
    public static JmxConnector start(final MBeanServer mbeanServer, final Options options) throws IOException {
        checkSafe(options);
        final InetAddress bind = resolve(options.host);
        final int port = options.port == 0 ? freePort(bind) : options.port;
        final RMIServerSocketFactory serverSockets = options.ssl
            ? new BoundSslServerSocketFactory(bind, options.sslNeedClientAuth)
            : new BoundServerSocketFactory(bind);
        final RMIClientSocketFactory clientSockets = options.ssl ? new SslRMIClientSocketFactory() : null;

        // RMI stubs carry this host name; clients must be able to reach it.
        System.setProperty("java.rmi.server.hostname", bind.getHostAddress());
        final Registry registry = LocateRegistry.createRegistry(port, clientSockets, serverSockets);
        final Map<String, Object> env = new HashMap<>();
        env.put("jmx.remote.rmi.server.socket.factory", serverSockets);
        if (clientSockets != null) {
            env.put("jmx.remote.rmi.client.socket.factory", clientSockets);
            env.put("com.sun.jndi.rmi.factory.socket", clientSockets);
        }
        if (options.passwordFile != null) {
            env.put("jmx.remote.x.password.file", options.passwordFile.toString());
        }
        if (options.accessFile != null) {
            env.put("jmx.remote.x.access.file", options.accessFile.toString());
        }
        // Only accept plain user/password credentials in the login call: no arbitrary deserialization.
        env.put("jmx.remote.rmi.server.credential.types", new String[] {String[].class.getName(), String.class.getName()});

        final String host = hostForUrl(bind);
        final JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + host + ":" + port
            + "/jndi/rmi://" + host + ":" + port + "/jmxrmi");
        final JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, env, mbeanServer);
        try {
            server.start();
        } catch (final IOException | RuntimeException e) {
            UnicastRemoteObject.unexportObject(registry, true);
            throw e;
        }
        return new JmxConnector(server, registry, url);
    }

    /** @return the URL clients connect to, e.g. {@code service:jmx:rmi://127.0.0.1:9010/jndi/rmi://127.0.0.1:9010/jmxrmi}. */
    public JMXServiceURL address() {
        return address;
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } finally {
            try {
                UnicastRemoteObject.unexportObject(registry, true);
            } catch (final NoSuchObjectException ignored) {
                // already gone
            }
        }
    }

    private static InetAddress resolve(final String host) {
        try {
            return InetAddress.getByName(host);
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve JMX host '" + host + "'", e);
        }
    }

    private static String hostForUrl(final InetAddress address) {
        final String literal = address.getHostAddress();
        return literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal;
    }

    private static int freePort(final InetAddress bind) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, bind)) {
            return probe.getLocalPort();
        }
    }

    /** Plain server sockets bound to one address (the JDK's default binds every interface). */
    private static final class BoundServerSocketFactory implements RMIServerSocketFactory {
        private final InetAddress bind;

        BoundServerSocketFactory(final InetAddress bind) {
            this.bind = bind;
        }

        @Override
        public ServerSocket createServerSocket(final int port) throws IOException {
            return new ServerSocket(port, 50, bind);
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof BoundServerSocketFactory && ((BoundServerSocketFactory) o).bind.equals(bind);
        }

        @Override
        public int hashCode() {
            return bind.hashCode();
        }
    }

    /** TLS server sockets bound to one address. */
    private static final class BoundSslServerSocketFactory extends SslRMIServerSocketFactory {
        private final InetAddress bind;

        BoundSslServerSocketFactory(final InetAddress bind, final boolean needClientAuth) {
            super(null, null, needClientAuth);
            this.bind = bind;
        }

        @Override
        public ServerSocket createServerSocket(final int port) throws IOException {
            final javax.net.ssl.SSLServerSocket socket = (javax.net.ssl.SSLServerSocket)
                javax.net.ssl.SSLServerSocketFactory.getDefault().createServerSocket(port, 50, bind);
            socket.setNeedClientAuth(getNeedClientAuth());
            return socket;
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof BoundSslServerSocketFactory && ((BoundSslServerSocketFactory) o).bind.equals(bind)
                && super.equals(o);
        }

        @Override
        public int hashCode() {
            return 31 * bind.hashCode() + super.hashCode();
        }
    }
}
