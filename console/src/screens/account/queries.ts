// The account page's documents: one query for the page, the ledger a page at a time (the
// burn-up and the timeline need every entry), and the two booking mutations.
import { graphql, type ResultOf } from '../../graphql';

export const AccountQuery = graphql(`
  query Account($id: ID!, $year: Int!) {
    customer(id: $id) {
      id
      name
      tier
      keyAccount
      csm {
        name
      }
      assessments {
        id
        assessedOn
        relationshipCloseness
        solutionAcceptance
        priceAcceptance
        note
      }
      opportunities {
        id
        name
        stage
        amount
        currency
        hatchedOn
        registeredOn
        closedOn
      }
    }
    budgetFor(accountId: $id, fiscalYear: $year) {
      id
      currency
      allocatedAmount
      reservedAmount
      spentAmount
      remainingAmount
    }
    bookings(first: 200, filter: { accountId: $id }) {
      totalCount
      edges {
        node {
          id
          state
          plannedDate
          settlementPrice
          actualCost
          overrun
          currency
          exceptionReason
          service {
            name
          }
        }
      }
    }
    burnForecasts(fiscalYear: $year, accountId: $id, first: 1) {
      edges {
        node {
          status
          runOutDate
          projectedAmount
          explanation
        }
      }
    }
    fiscalCalendar {
      year {
        fiscalYear
        firstDay
        lastDay
      }
    }
  }
`);

export const LedgerQuery = graphql(`
  query Ledger($budgetId: ID!, $after: String) {
    budget(id: $budgetId) {
      id
      ledger(first: 200, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            kind
            amount
            currency
            allocatedDelta
            reservedDelta
            spentDelta
            reason
            bookingId
            createdAt
          }
        }
      }
    }
  }
`);

export const RouteQuery = graphql(`
  query AccountRoute($id: ID!, $need: Need!) {
    route(accountId: $id, need: $need) {
      freeExpertServicesOpen
      paidExpertServicesOpen
      hops {
        step
        role
        description
        externalContact
        person {
          name
        }
        team {
          name
        }
        sla {
          responseMinutes
          resolutionMinutes
        }
      }
      gaps {
        kind
        message
      }
    }
  }
`);

export const DeliverMutation = graphql(`
  mutation Deliver($input: DeliverBookingInput!) {
    deliverBooking(input: $input) {
      __typename
      ... on Booking {
        id
        state
        actualCost
        overrun
        service {
          name
        }
      }
      ... on Error {
        code
        message
        field
      }
    }
  }
`);

export const CancelMutation = graphql(`
  mutation Cancel($input: CancelBookingInput!) {
    cancelBooking(input: $input) {
      __typename
      ... on Booking {
        id
        state
        actualCost
        overrun
        service {
          name
        }
      }
      ... on Error {
        code
        message
        field
      }
    }
  }
`);

export type AccountData = ResultOf<typeof AccountQuery>;
export type LedgerPage = NonNullable<ResultOf<typeof LedgerQuery>['budget']>['ledger'];
export type Entry = LedgerPage['edges'][number]['node'];
