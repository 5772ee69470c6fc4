// First: configures zod before the server's schemas below are built.
import './zod-config.ts';
import { contactDetails, identityDocument, nameText } from '../../../src/people/person.schema.ts';


/**
 * The server's own field rules (its `*.schema.ts`), shared with the forms instead of copied: what a
 * form accepts, the API accepts. Each form keeps its own translated messages.
 */
export const personRules = {
  name: nameText,
  documentNumber: identityDocument.shape.number,
  phone: contactDetails.shape.phone.unwrap(),
  email: contactDetails.shape.email.unwrap(),
};
