export { buildPublicLink } from './build-public-link';
export { listOutbox } from './list-outbox';
export { sendMail, type MailContent } from './send-mail';
