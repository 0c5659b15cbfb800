// A TLS client that loads `certs issue`'s client.pem and client.key the way Bazel's netty does
// (SslContext.toPrivateKey: a PKCS#8 key tried as RSA, then DSA, then EC), connects with the JDK's TLS stack,
// and prints the server's first line. Usage: java NettyStyleTlsClient.java CERT KEY PORT
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

public class NettyStyleTlsClient {
  public static void main(String[] args) throws Exception {
    String pem = Files.readString(Path.of(args[1]));
    if (!pem.startsWith("-----BEGIN PRIVATE KEY-----")) throw new IllegalArgumentException("not a PKCS#8 PEM key");
    byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
    PrivateKey key = null;
    for (String algorithm : new String[] {"RSA", "DSA", "EC"}) {
      try {
        key = KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        break;
      } catch (InvalidKeySpecException tryNext) {
        // netty does the same: the next algorithm.
      }
    }
    if (key == null) throw new InvalidKeySpecException("Neither RSA, DSA nor EC worked");
    Certificate[] chain = CertificateFactory.getInstance("X.509").generateCertificates(Files.newInputStream(Path.of(args[0]))).toArray(new Certificate[0]);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("client", key, new char[0], chain);
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(store, new char[0]);
    // The test server's own certificate is a throwaway; only the client side is under test.
    TrustManager trustAll = new X509TrustManager() {
      public void checkClientTrusted(X509Certificate[] certificates, String authType) {}
      public void checkServerTrusted(X509Certificate[] certificates, String authType) {}
      public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers.getKeyManagers(), new TrustManager[] {trustAll}, new SecureRandom());
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", Integer.parseInt(args[2]))) {
      socket.startHandshake();
      BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      System.out.println(key.getAlgorithm() + " key loaded; server said: " + reader.readLine());
    }
  }
}
