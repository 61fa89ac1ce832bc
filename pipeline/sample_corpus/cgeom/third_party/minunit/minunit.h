/* minunit.h - a minimal unit testing framework for C.
 * Vendored from the public-domain MinUnit by John Brewer (jera.com/techinfo/jtns/jtn002). */
#ifndef MINUNIT_H
#define MINUNIT_H

#define mu_assert(message, test) do { if (!(test)) return message; } while (0)
#define mu_run_test(test) do { const char *message = test(); tests_run++; \
                               if (message) return message; } while (0)

extern int tests_run;

#endif /* MINUNIT_H */
