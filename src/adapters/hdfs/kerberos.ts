// Preflight: the Kerberos ticket of a site (after kinit with its keytab) must outlive the run.
import type { CallOptions, HdfsPort } from './hdfs.js';

export interface TicketCheck {
  status: 'ok' | 'too-short' | 'unknown' | 'not-configured';
  secondsLeft?: number;
  message: string;
}

/** kinit (once per adapter) then klist; compares the lifetime with `minTicketLifetimeMinutes`. */
export async function checkTicket(hdfs: HdfsPort, options: CallOptions = {}): Promise<TicketCheck> {
  const kerberos = hdfs.site.kerberos;
  if (!kerberos) return { status: 'not-configured', message: `${hdfs.site.label}: no Kerberos configured` };
  const secondsLeft = await hdfs.ticketSecondsLeft(options);
  if (secondsLeft === undefined)
    return { status: 'unknown', message: `${hdfs.site.label}: kinit as ${kerberos.principal} worked but klist's expiry could not be read` };
  const needed = kerberos.minTicketLifetimeMinutes * 60;
  if (secondsLeft < needed) {
    return {
      status: 'too-short',
      secondsLeft,
      message: `${hdfs.site.label}: the ticket of ${kerberos.principal} expires in ${Math.floor(secondsLeft / 60)} min, less than minTicketLifetimeMinutes (${kerberos.minTicketLifetimeMinutes})`,
    };
  }
  return {
    status: 'ok',
    secondsLeft,
    message: `${hdfs.site.label}: ticket of ${kerberos.principal} valid for ${Math.floor(secondsLeft / 60)} min`,
  };
}
