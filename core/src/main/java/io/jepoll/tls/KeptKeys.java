package io.jepoll.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;

/**
 * The JDK's PKIX key manager choosing the identity (by SNI, key type, validity), and the identity's key and chain
 * handed out from memory. The PKIX manager alone reads the private key back out of its keystore on every
 * handshake, because the alias it returns carries a fresh sequence number that its own cache never matches; out of
 * a PKCS#12 keystore that means decrypting it, 10,000 rounds of PBKDF2, about 5 ms of CPU a handshake (measured:
 * 8.9 ms a full handshake against Netty's 3.9 with the same JDK engine, whose SunX509 manager keeps its keys).
 *
 * <p>Its aliases look like "0.17.identity-2": the keystore's alias follows the second dot. An alias of another shape
 * goes to the PKIX manager, as before.
 */
final class KeptKeys extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager chooser;
    private final Map<String, PrivateKey> keys;
    private final Map<String, X509Certificate[]> chains;

    KeptKeys(X509ExtendedKeyManager chooser, Map<String, PrivateKey> keys, Map<String, X509Certificate[]> chains) {
        this.chooser = chooser;
        this.keys = Map.copyOf(keys);
        this.chains = Map.copyOf(chains);
    }

    /** The keystore's alias inside the PKIX manager's: what follows "builder.sequence.", or the alias as it is. */
    static String storeAlias(String alias) {
        if (alias == null) return null;
        int first = alias.indexOf('.');
        int second = first < 0 ? -1 : alias.indexOf('.', first + 1);
        return second < 0 ? alias : alias.substring(second + 1);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        PrivateKey k = alias == null ? null : keys.get(storeAlias(alias));
        return k != null ? k : chooser.getPrivateKey(alias);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        X509Certificate[] c = alias == null ? null : chains.get(storeAlias(alias));
        return c != null ? c.clone() : chooser.getCertificateChain(alias);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooser.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chooser.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) { return chooser.getServerAliases(keyType, issuers); }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) { return chooser.getClientAliases(keyType, issuers); }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return chooser.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return chooser.chooseEngineClientAlias(keyType, issuers, engine);
    }
}
