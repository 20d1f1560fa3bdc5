import { type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  OrganizationKind as ProtoKind,
  type OrganizationSchema,
} from '@kontor/contracts/ledger/v1/organization_service_pb';
import { type OrganizationKind } from '../domain/organization';
import { type OrganizationEntity } from '../persistence/organization.entity';

const TO_PROTO: Record<OrganizationKind, ProtoKind> = {
  vendor: ProtoKind.VENDOR,
  customer: ProtoKind.CUSTOMER,
  supplier: ProtoKind.SUPPLIER,
  partner: ProtoKind.PARTNER,
  operator: ProtoKind.OPERATOR,
};

/** The domain kind of a proto kind; undefined for UNSPECIFIED or a value this build lacks. */
export function kindFromProto(kind: ProtoKind): OrganizationKind | undefined {
  const found = Object.entries(TO_PROTO).find(([, value]) => value === kind);

  return found ? (found[0] as OrganizationKind) : undefined;
}

export function toOrganizationMessage(
  organization: OrganizationEntity,
): MessageInitShape<typeof OrganizationSchema> {
  return {
    id: organization.id,
    externalId: organization.externalId,
    kind: TO_PROTO[organization.kind],
    name: organization.name,
    primaryLedgerId: organization.primaryLedgerId ?? '',
    createTime: timestampFromDate(organization.createdAt),
  };
}
