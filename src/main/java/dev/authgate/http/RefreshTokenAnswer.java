package dev.authgate.http;

import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.authgate.session.IssuedRefreshToken;

/**
 * Adds the refresh token a sign-in opened in this request ({@link IssuedRefreshToken}) to its answer: every
 * sign-in's {@link AuthToken} (and the activation's new token) gains {@code refreshToken} where the table has them.
 */
public class RefreshTokenAnswer {

    /** An answer that carries an authToken, and so may carry its refresh token. */
    public interface Carrier {
        Object withRefreshToken(String refreshToken);
    }

    private final IssuedRefreshToken issued;

    public RefreshTokenAnswer(IssuedRefreshToken issued) {
        this.issued = issued;
    }

    @ServerResponseFilter
    public void addRefreshToken(ContainerResponseContext response) {
        if (response.getEntity() instanceof Carrier answer && response.getStatus() == 200) {
            String refreshToken = issued.take();
            if (refreshToken != null) {
                response.setEntity(answer.withRefreshToken(refreshToken));
            }
        }
    }
}
