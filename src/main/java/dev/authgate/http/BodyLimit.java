package dev.authgate.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import dev.authgate.config.AuthgateConfig;
import dev.authgate.failure.Failure;

/**
 * {@code authgate.limits.max-body-size} for bodies that declare no length (chunked): counted while read, 413 in
 * the error shape past the limit. Declared lengths are refused before reading, in {@link HttpErrors}.
 */
@Provider
public class BodyLimit implements ReaderInterceptor {

    private final jakarta.inject.Provider<AuthgateConfig> config;

    public BodyLimit(jakarta.inject.Provider<AuthgateConfig> config) {
        this.config = config;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        long max = config.get().limits().maxBodySize().asLongValue();
        context.setInputStream(new FilterInputStream(context.getInputStream()) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) {
                read += n;
                if (read > max) {
                    throw Failure.tooLarge();
                }
            }
        });
        return context.proceed();
    }
}
